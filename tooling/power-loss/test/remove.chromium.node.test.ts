import { describe, expect, it } from 'vitest'
import {
  itCatchesPlantedRemove,
  itHoldsStrictWithRemoves,
  loadedTorn,
  powerLab,
  REMOVE_EVERY,
  sized,
} from './power-suite.ts'

const trial = powerLab('chromium', 47891)

describe('Chromium: removes under power loss, each disk booted and loaded', () => {
  // Caught so far at disks 1, 3, 23 and 16: a state that lost the record of the save before (each
  // save after a remove creates the file anew) holds no file, which is right after a remove, so
  // only some of the states that matter catch it.
  itCatchesPlantedRemove(trial, 'early-remove', 'a remove that resolves before it removes the file', {
    states: 200,
    maxLaunches: 40,
  })
  // Only a power cut shows it: between the remove's ack and the next strict commit, whose fsync
  // of the LevelDB log takes the delete along.
  itCatchesPlantedRemove(trial, 'relaxed-remove', 'idb whose remove commits relaxed', { states: 200, maxLaunches: 30 })

  itHoldsStrictWithRemoves(trial, 'opfs-sync', sized(5, 4), (report) => {
    // The evidence a resurrection here rests on, pinned: a remove changes only OPFS's Paths
    // database and the backing file's name, and Chromium fsyncs neither (its flushes reach only
    // the backing files). The day it does, an acknowledged remove must hold, and this fails.
    expect(report.syncedFiles.filter((path) => !/\/File System\/000\/t\/00\/\d+$/.test(path))).toEqual([])
    expect(report.dirFsyncs).toBe(0)
  })
  itHoldsStrictWithRemoves(trial, 'idb', sized(5, 4))

  it('opfs-async, relaxed, with removes: Chromium fsyncs nothing for it; no state loads a torn file as data', async () => {
    const size = sized(5, 4)
    const report = await trial({
      driver: 'opfs-async',
      rule: 'relaxed',
      flushes: false,
      removeEvery: REMOVE_EVERY,
      ...size,
    })
    expect(report.fsyncs + report.dirFsyncs).toBe(0)
    expect(loadedTorn(report)).toEqual([])
  })
})
