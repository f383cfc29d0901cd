import { describe } from 'vitest'
import { itCatchesPlantedRemove, itHoldsStrictWithRemoves, long, powerLab, sized } from './power-suite.ts'

const trial = powerLab('firefox', 47892)

describe('Firefox: removes under power loss, each disk booted and loaded', () => {
  // The long run only: each state of the disk that catches it boots its twins, and a Firefox
  // launch is slow (CI-sized, beside other suites: caught at disk 3 in 103 s with 200 states, at
  // disk 6 in 126 s with 60). Chromium's file catches the same driver in CI.
  if (long)
    itCatchesPlantedRemove(trial, 'early-remove', 'a remove that resolves before it removes the file', {
      states: 60,
      maxLaunches: 30,
    })
  // Each Firefox disk and its twins cost a launch: 3 a tier keep the file near 30 s.
  itHoldsStrictWithRemoves(trial, 'opfs-sync', sized(5, 3))
  itHoldsStrictWithRemoves(trial, 'idb', sized(5, 3))
})
