import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { durabilityTrial } from '../src/durability.ts'
import type { Lab } from '../src/lab.ts'
import { drivers } from './drivers.ts'
import { labIn } from './lab.ts'

const LENGTHS = [1024, 16 * 2 ** 20]

let lab: Lab
beforeAll(async () => {
  lab = await labIn('chromium', 47812)
})
afterAll(() => lab?.dispose())

describe('saved data outlives the browser', () => {
  it('catches a driver that keeps nothing on disk', async () => {
    const durable = await durabilityTrial(lab, 'memory', [1024])
    expect(durable.map(({ found }) => found.problem)).toEqual(['NOT_FOUND'])
  })

  for (const driver of Object.keys(drivers)) {
    it(`${driver}: 1 KiB and 16 MiB load back byte for byte after a quit and a relaunch on the same profile`, async () => {
      const durable = await durabilityTrial(lab, driver, LENGTHS)
      expect(durable.map(({ seq, length, found }) => ({ seq, length, found }))).toEqual(
        durable.map(({ seq, length }) => ({ seq, length, found: { seq, length, size: length } })),
      )
    })
  }
})
