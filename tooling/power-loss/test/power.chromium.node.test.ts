import { describe, expect, it } from 'vitest'
import { itCatchesPlanted, itHoldsRelaxed, itHoldsStrict, long, powerLab, sized } from './power-suite.ts'

const trial = powerLab('chromium', 47821)

describe('Chromium: the disk states a power cut could leave, each booted and loaded', () => {
  itCatchesPlanted(trial, { naive: 40, 'unflushed-data': 60, 'unflushed-relaxed': 60 })

  // Strict where the browser API reaches fsync: a sync access handle's flush(), and IndexedDB's
  // strict transactions (TOOLCHAIN.md). idb-inline (the long run only) keeps every record under
  // 64 KiB, inline in IndexedDB's LevelDB log instead of in blob files beside it.
  itHoldsStrict(trial, 'opfs-sync', sized(4, 12))
  itHoldsStrict(trial, 'idb', sized(4, 8))
  if (long) itHoldsStrict(trial, 'idb-inline', sized(4, 0))

  itHoldsRelaxed(trial, sized(12, 20))

  it('opfs-async, relaxed: Chromium fsyncs nothing for it, and what a power cut does there is counted', async () => {
    const report = await trial({ driver: 'opfs-async', rule: 'relaxed', ...sized(3, 4) })
    // The evidence every loss here rests on, pinned: a Chromium that starts to fsync
    // createWritable's files turns this into a real trial.
    expect(report.fsyncs + report.dirFsyncs).toBe(0)
    expect(report.checkedDisks).toBe(Math.min(report.disks, sized(3, 4).maxDisks))
  })
})
