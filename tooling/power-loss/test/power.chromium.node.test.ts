import { fileURLToPath } from 'node:url'
import { createLab, type Lab } from '@stowage/browser-lab/src/lab.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeReport } from '../src/report.ts'
import { lostByBrowser, type PowerOptions, powerTrial } from '../src/trial.ts'

/**
 * STOWAGE_POWER_STATES=<n> for the long run: 20 saves recorded per driver, n states generated and
 * up to n distinct disks booted. Without it, the CI-sized run: a few saves, 200 states, a dozen disks.
 */
const long = Number(process.env.STOWAGE_POWER_STATES ?? 0)
const seed = process.env.STOWAGE_POWER_SEED ? Number(process.env.STOWAGE_POWER_SEED) : undefined
const sized = (saves: number, maxDisks: number) =>
  long ? { saves: 20, states: long, maxDisks: long, seed } : { saves, states: 200, maxDisks, seed }

let lab: Lab
beforeAll(async () => {
  lab = await createLab({
    engine: 'chromium',
    port: 47821,
    worker: fileURLToPath(new URL('./lab.worker.ts', import.meta.url)),
  })
})
afterAll(() => lab?.dispose())

/** Runs a trial and prints its report, whatever the outcome. */
async function trial(options: PowerOptions) {
  const report = await powerTrial(lab, options)
  console.log(describeReport(report))
  return report
}

describe('Chromium: the disk states a power cut could leave, each booted and loaded', () => {
  // Built to fail: each must be caught tearing its file, a failure no browser evidence excuses.
  const planted = [
    ['naive', 'truncate-then-write', 40, 'strict'],
    ['unflushed-data', 'two slots whose header is written before the data under it is flushed', 60, 'strict'],
    ['unflushed-relaxed', 'relaxed saves that skip both flushes', 60, 'relaxed'],
  ] as const
  for (const [driver, what, maxDisks, rule] of planted) {
    it(`catches ${driver}: ${what}`, async () => {
      const report = await trial({ driver, rule, saves: 3, states: 200, maxDisks, untilCaught: true, seed })
      expect(report.lost.length).toBeGreaterThan(0)
      // unflushed-relaxed asks for no flush at all, so the evidence "the browser fsynced nothing"
      // is its own doing and excuses nothing: every loss counts (opfs-sync-relaxed loses none).
      if (rule === 'strict') expect(report.lost.filter((lost) => !lostByBrowser(lost))).toEqual(report.lost)
    })
  }

  // Strict where the browser API reaches fsync: a sync access handle's flush(), and IndexedDB's
  // strict transactions (TOOLCHAIN.md). idb-inline (the long run only) keeps every record under
  // 64 KiB, inline in IndexedDB's LevelDB log instead of in blob files beside it.
  const strict = [['opfs-sync', 12], ['idb', 8], ...(long ? [['idb-inline', 0] as const] : [])] as const
  for (const [driver, maxDisks] of strict) {
    it(`${driver}, strict: no state tears the file; each loss the browser's own, with evidence`, async () => {
      const report = await trial({ driver, ...sized(4, maxDisks) })
      expect(report.lost.filter((lost) => !lostByBrowser(lost))).toEqual([])
      expect(report.checkedDisks).toBe(Math.min(report.disks, sized(4, maxDisks).maxDisks))
    })
  }

  // The loop's first save creates the file, so that its creation (the names, and OPFS's record
  // of the file in Chromium's own database) is cut by the power too.
  for (const [driver, maxDisks] of [
    ['opfs-sync', 6],
    ['idb', 4],
  ] as const) {
    it(`${driver}, strict, from the file's first save: no state tears it; each loss the browser's own`, async () => {
      const report = await trial({ driver, fresh: true, ...sized(3, maxDisks) })
      expect(report.lost.filter((lost) => !lostByBrowser(lost))).toEqual([])
      expect(report.checkedDisks).toBe(Math.min(report.disks, sized(3, maxDisks).maxDisks))
    })
  }

  it('opfs-sync, relaxed: no state tears the file; an older complete save is allowed', async () => {
    // Payloads under 12 KiB share pages with the headers and lie in each other's old regions, so
    // that a save written over the region named by the header an unflushed one would replace
    // tears: opfs-sync with that rule removed from nextSlot was caught at disk 14 of this size.
    const size = { ...sized(12, 20), maxLength: 12_000 }
    const report = await trial({ driver: 'opfs-sync-relaxed', rule: 'relaxed', ...size })
    expect(report.lost.filter((lost) => !lostByBrowser(lost))).toEqual([])
    expect(report.checkedDisks).toBe(Math.min(report.disks, size.maxDisks))
  })

  it('opfs-async, relaxed: Chromium fsyncs nothing for it, and what a power cut does there is counted', async () => {
    const report = await trial({ driver: 'opfs-async', rule: 'relaxed', ...sized(3, 4) })
    // The evidence every loss here rests on, pinned: a Chromium that starts to fsync
    // createWritable's files turns this into a real trial.
    expect(report.fsyncs + report.dirFsyncs).toBe(0)
    expect(report.checkedDisks).toBe(Math.min(report.disks, sized(3, 4).maxDisks))
  })
})
