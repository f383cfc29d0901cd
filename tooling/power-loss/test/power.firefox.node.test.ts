import { describe, expect, it } from 'vitest'
import { lostByBrowser } from '../src/twins.ts'
import { itCatchesPlanted, itHoldsRelaxed, itHoldsStrict, loadedTorn, powerLab, sized } from './power-suite.ts'

const trial = powerLab('firefox', 47881)

describe('Firefox: the disk states a power cut could leave, each booted and loaded', () => {
  // A disk costs a Firefox launch, 2.5 to 4 s on a quiet 2-core machine, and its recording 8 to
  // 25 s: 12 disks of relaxed opfs-sync rather than Chromium's 20 keep the file near 4 minutes.
  // The planted drivers were caught within 13 disks in every run so far; the bounds are Chromium's.
  itCatchesPlanted(trial, { naive: 40, 'unflushed-data': 60, 'unflushed-relaxed': 60 })
  itHoldsStrict(trial, 'opfs-sync', sized(4, 12))
  itHoldsStrict(trial, 'idb', sized(4, 8))
  // From a file's first save: each Firefox disk and its twins cost a launch, so fewer disks than
  // Chromium's (opfs-sync loses most states, to a folder never fsynced, each with twins to boot).
  itHoldsStrict(trial, 'opfs-sync', sized(3, 3), true)
  itHoldsStrict(trial, 'idb', sized(3, 4), true)
  itHoldsRelaxed(trial, sized(12, 12))

  it('idb, relaxed: no state tears the file; each loss the browser’s own, with evidence', async () => {
    // As on Chromium, saves over 60 KiB go strict, so the payloads span relaxed and strict saves.
    const report = await trial({ driver: 'idb-relaxed', rule: 'relaxed', ...sized(4, 4) })
    expect(report.lost.filter((lost) => !lostByBrowser(lost))).toEqual([])
  })

  it('opfs-async, relaxed: Firefox never fsyncs the file’s bytes, so a cut may lose a save; no state loads a torn file as data', async () => {
    const size = sized(3, 6)
    const report = await trial({ driver: 'opfs-async', rule: 'relaxed', flushes: false, ...size })
    // Pinned, the fact its losses rest on: each save's bytes go to a new file that Firefox never
    // fsyncs, named by the OPFS database that it does fsync. The day Firefox fsyncs those files
    // this fails, and the trial can hold opfs-async to the relaxed rule.
    const opfs = report.syncedFiles.filter((path) => path.includes('/fs/'))
    expect(opfs.filter((path) => !/\/fs\/metadata\.sqlite(-journal)?$/.test(path))).toEqual([])
    expect(opfs.filter((path) => path.endsWith('/fs/metadata.sqlite'))).toHaveLength(1)
    // Such a file comes back short or with the bytes of no save: 32 of 50 states loaded it as data
    // before the checked format. It loads CORRUPT now, a loss the twin with those bytes kept explains.
    expect(loadedTorn(report)).toEqual([])
    expect(report.lost.filter((lost) => !lostByBrowser(lost))).toEqual([])
  })
})
