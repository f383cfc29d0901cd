import { describe, expect, it } from 'vitest'
import { lostByBrowser } from '../src/twins.ts'
import { itCatchesPlanted, itHoldsRelaxed, itHoldsStrict, loadedTorn, long, powerLab, sized } from './power-suite.ts'

const trial = powerLab('chromium', 47821)

describe('Chromium: the disk states a power cut could leave, each booted and loaded', () => {
  itCatchesPlanted(trial, { naive: 40, 'unflushed-data': 60, 'unflushed-relaxed': 60 })

  // Strict where the browser API reaches fsync: a sync access handle's flush(), and IndexedDB's
  // strict transactions (TOOLCHAIN.md). idb-inline (the long run only) keeps every record under
  // 64 KiB, inline in IndexedDB's LevelDB log instead of in blob files beside it.
  itHoldsStrict(trial, 'opfs-sync', sized(4, 12))
  itHoldsStrict(trial, 'idb', sized(4, 8))
  if (long) itHoldsStrict(trial, 'idb-inline', sized(4, 0))
  itHoldsStrict(trial, 'opfs-sync', sized(3, 6), true)
  itHoldsStrict(trial, 'idb', sized(3, 4), true)

  itHoldsRelaxed(trial, sized(12, 12))

  it('idb, relaxed: no state tears the file; each loss the browser’s own, with evidence', async () => {
    // Saves over 60 KiB go strict (a relaxed blob could be lost under its synced record), so the
    // payloads span both: relaxed inline records and strict blobs.
    const report = await trial({ driver: 'idb-relaxed', rule: 'relaxed', ...sized(4, 6) })
    expect(report.lost.filter((lost) => !lostByBrowser(lost))).toEqual([])
  })

  it('opfs-async, relaxed: Chromium fsyncs nothing for it, so a cut may lose any save; no state loads a torn file as data', async () => {
    const report = await trial({ driver: 'opfs-async', rule: 'relaxed', flushes: false, ...sized(3, 4) })
    // The evidence every loss here rests on, pinned: a Chromium that starts to fsync
    // createWritable's files turns this into a real trial.
    expect(report.fsyncs + report.dirFsyncs).toBe(0)
    expect(loadedTorn(report)).toEqual([])
  })
})
