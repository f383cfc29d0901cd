import { fileURLToPath } from 'node:url'
import { launchChromium } from '@stowage/browser-lab/src/chromium.ts'
import { createLab, type Lab } from '@stowage/browser-lab/src/lab.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeReport } from '../src/report.ts'
import { lostByBrowser, powerTrial } from '../src/trial.ts'

/** STOWAGE_POWER_STATES=<n> for a long run: states generated per driver, and as many disks booted at most. */
const long = Number(process.env.STOWAGE_POWER_STATES ?? 0)
const seed = process.env.STOWAGE_POWER_SEED ? Number(process.env.STOWAGE_POWER_SEED) : undefined

let lab: Lab
beforeAll(async () => {
  lab = await createLab({
    port: 47821,
    worker: fileURLToPath(new URL('./lab.worker.ts', import.meta.url)),
    launch: launchChromium,
  })
})
afterAll(() => lab?.dispose())

describe('Chromium: the disk states a power cut could leave, each booted and loaded', () => {
  it('catches truncate-then-write (naive) leaving its file torn', async () => {
    const report = await powerTrial(lab, {
      driver: 'naive',
      saves: 3,
      states: 200,
      maxDisks: 20,
      untilCaught: true,
      seed,
    })
    console.log(describeReport(report))
    expect(report.lost.map(({ problem }) => problem)).not.toEqual([])
  })

  it('catches two slots whose header is written before the data is flushed (unflushed-data)', async () => {
    const report = await powerTrial(lab, {
      driver: 'unflushed-data',
      saves: 3,
      states: 200,
      maxDisks: 30,
      untilCaught: true,
      seed,
    })
    console.log(describeReport(report))
    expect(report.lost.map(({ problem }) => problem)).not.toEqual([])
  })

  const size = { saves: long ? 20 : 4, states: long || 200, maxDisks: long || 12, seed }

  // Strict where the browser API reaches fsync: a sync access handle's flush(), and IndexedDB's
  // strict transactions (TOOLCHAIN.md). idb-inline keeps every record under 64 KiB, inline in
  // IndexedDB's LevelDB log instead of in blob files beside it.
  for (const driver of ['opfs-sync', 'idb', 'idb-inline']) {
    it(`${driver}, strict: no state tears the file; each loss the browser's own, with evidence`, async () => {
      const report = await powerTrial(lab, { driver, ...size })
      console.log(describeReport(report))
      expect(report.lost.filter((lost) => !lostByBrowser(lost))).toEqual([])
      expect(report.checkedDisks).toBe(Math.min(report.disks, size.maxDisks))
    })
  }

  it('opfs-async, relaxed: Chromium fsyncs nothing for it, and what a power cut does there is counted', async () => {
    const report = await powerTrial(lab, { driver: 'opfs-async', rule: 'relaxed', ...size })
    console.log(describeReport(report))
    // The evidence every loss here rests on: pinned, so that a Chromium that starts to fsync
    // createWritable's files turns this trial into a real one.
    expect(report.fsyncs + report.dirFsyncs).toBe(0)
    expect(report.checkedDisks).toBe(Math.min(report.disks, size.maxDisks))
  })
})
