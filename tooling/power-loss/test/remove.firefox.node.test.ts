import { describe, expect, it } from 'vitest'
import { type Lost, lostByBrowser } from '../src/trial.ts'
import { long, powerLab, sized } from './power-suite.ts'

const trial = powerLab('firefox', 47892)

/** Every third op of the loop removes the file: save 2, remove 3, save 4, save 5, remove 6, ... */
const removeEvery = 3

describe('Firefox: removes under power loss, each disk booted and loaded', () => {
  // The long run only: each state of the disk that catches it boots its twins, and a Firefox
  // launch is slow (CI-sized, beside other suites: caught at disk 3 in 103 s with 200 states, at
  // disk 6 in 126 s with 60). Chromium's file catches the same driver in CI.
  it.runIf(long)('catches early-remove: a remove that resolves before it removes the file', async () => {
    // Small payloads, as on Chromium: the crash points where the planted bug shows get their share.
    const caught = (lost: Lost) => !lostByBrowser(lost)
    const report = await trial({
      driver: 'early-remove',
      removeEvery: 2,
      saves: 5,
      maxLength: 4096,
      states: 60,
      maxDisks: 30,
      untilCaught: caught,
      seed: sized(0, 0).seed,
    })
    expect(report.lost.filter(caught).map(({ problem }) => problem)).toContain('RESURRECTED')
  })

  // Each Firefox disk and its twins cost a launch: 4 disks a tier keep the file near 2 minutes.
  it('opfs-sync, strict, with removes: every loss and resurrection the browser’s, with evidence', async () => {
    const size = sized(5, 4)
    const report = await trial({ driver: 'opfs-sync', removeEvery, ...size })
    expect(report.lost.filter((lost) => !lostByBrowser(lost))).toEqual([])
    expect(report.checkedDisks).toBe(Math.min(report.disks, size.maxDisks))
  })

  it('idb, strict, with removes: every loss the browser’s, with evidence', async () => {
    const size = sized(5, 4)
    const report = await trial({ driver: 'idb', removeEvery, ...size })
    expect(report.lost.filter((lost) => !lostByBrowser(lost))).toEqual([])
    expect(report.checkedDisks).toBe(Math.min(report.disks, size.maxDisks))
  })
})
