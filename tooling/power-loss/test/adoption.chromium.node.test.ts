import { describe } from 'vitest'
import { adoptionLab, itAdopts, itCatchesUnflushedAdoption } from './adoption-suite.ts'
import { long } from './power-suite.ts'

const trial = adoptionLab('chromium', 47893)

describe('Chromium: an adoption sweep under power loss, each disk booted and swept again', () => {
  itCatchesUnflushedAdoption(trial, 'idb')
  itAdopts(trial, 'opfs-sync', 'idb', 8)
  itAdopts(trial, 'opfs-sync', 'idb', 4, 'settled')
  // opfs-async dates its copies by the file's modification time: the replay must keep it.
  itAdopts(trial, 'opfs-sync', 'opfs-async', 4)
  // Into idb, Chromium drops the serving database itself after a torn log tail: the long run only.
  if (long) itAdopts(trial, 'idb', 'opfs-sync', 8)
  if (long) itAdopts(trial, 'idb', 'opfs-sync', 8, 'settled')
})
