import { describe } from 'vitest'
import { adoptionLab, itAdopts, itCatchesUnflushedAdoption } from './adoption-suite.ts'

const trial = adoptionLab('firefox', 47894)

describe('Firefox: an adoption sweep under power loss, each disk booted and swept again', () => {
  itCatchesUnflushedAdoption(trial, 'idb')
  itAdopts(trial, 'opfs-sync', 'idb', 6)
  itAdopts(trial, 'opfs-sync', 'idb', 3, 'settled')
})
