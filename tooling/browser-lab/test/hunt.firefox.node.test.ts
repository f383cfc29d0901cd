import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { crashTrial } from '../src/crash.ts'
import type { Lab } from '../src/lab.ts'
import { labIn } from './lab.ts'

const HUNT = Number(process.env.STOWAGE_HUNT_KILLS ?? 0)

// Firefox's createWritable is not crash-atomic (see driver-opfs-async's README), but a kill finds
// it torn about once in 30: too slow to prove on every run. `STOWAGE_HUNT_KILLS=200` runs it.
describe.runIf(HUNT > 0)('Firefox: the browser’s own createWritable, killed mid-save', () => {
  let lab: Lab
  beforeAll(async () => {
    lab = await labIn('firefox', 47816)
  })
  afterAll(() => lab?.dispose())

  it(`is found torn within ${HUNT} kills`, async () => {
    const report = await crashTrial(lab, { driver: 'raw-writable', kills: HUNT, untilCaught: true })
    console.log(`raw-writable: ${report.kills} kills, ${report.survived} survived`, report.caught)
    expect(report.caught).toHaveLength(1)
  })
})
