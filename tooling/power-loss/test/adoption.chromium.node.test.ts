import { describe } from 'vitest'
import { adoptionLab, itAdopts, itCatchesUnflushedAdoption } from './adoption-suite.ts'

const trial = adoptionLab('chromium', 47893)

describe('Chromium: an adoption sweep under power loss, each disk booted and swept again', () => {
  itCatchesUnflushedAdoption(trial, 'idb')
  itAdopts(trial, 'opfs-sync', 'idb', 8)
})
