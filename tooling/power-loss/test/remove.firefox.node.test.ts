import { describe, expect, it } from 'vitest'
import { type Lost, lostByBrowser } from '../src/trial.ts'
import { powerLab, sized } from './power-suite.ts'

const trial = powerLab('firefox', 47892)

/** Every third op of the loop removes the file: save 2, remove 3, save 4, save 5, remove 6, ... */
const removeEvery = 3

describe('Firefox: removes under power loss, each disk booted and loaded', () => {
  it('catches early-remove: a remove that resolves before it removes the file', async () => {
    // Small payloads, as on Chromium: the crash points where the planted bug shows get their share.
    // 60 states, not 200: Firefox's states share fewer disks, and every state of the disk that
    // catches it boots its twins (200 states: caught at disk 3, 17 states there, 103 s).
    const caught = (lost: Lost) => !lostByBrowser(lost)
    const report = await trial({
      driver: 'early-remove',
      removeEvery,
      saves: 5,
      maxLength: 4096,
      states: 60,
      maxDisks: 20,
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
