import { describe } from 'vitest'
import { adoptionLab, itAdopts, itCatchesUnflushedAdoption } from './adoption-suite.ts'

const trial = adoptionLab('firefox', 47894)

describe('Firefox: an adoption sweep under power loss, each disk booted and swept again', () => {
  // Most of Firefox's lost states keep its OPFS journal torn, the browser's evidence: in a CI
  // rehearsal (2026-12-06 11:00) 12 disks held one loss, excused so. Usually caught by disk 3.
  itCatchesUnflushedAdoption(trial, 'idb', 20)
  itAdopts(trial, 'opfs-sync', 'idb', 6)
  itAdopts(trial, 'opfs-sync', 'idb', 3, 'settled')
})
