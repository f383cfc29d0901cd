import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lab } from '../src/lab.ts'
import { pagesTrial } from '../src/pages.ts'
import { drivers } from './drivers.ts'
import type { Engine } from '@stowage/browsers/launch'
import { labIn } from './lab.ts'

const SAVES = 200
/** Trials until the pages' saves meet (see below). */
const ATTEMPTS = 5

/** Contention in `engine`: two pages of one profile, each with its own worker, saving one file. */
export function describePages(engine: Engine, port: number): void {
  let lab: Lab
  beforeAll(async () => {
    lab = await labIn(engine, port)
  })
  afterAll(() => lab?.dispose())

  describe(`two pages of one ${engine} profile saving the same file`, () => {
    it('catches a driver that takes no lock across contexts', async () => {
      // Whether two saves collide is up to the scheduler; a loaded machine may not make them meet at once.
      let errors: string[] = []
      for (let attempt = 0; attempt < ATTEMPTS && errors.length === 0; attempt++) {
        const { pages } = await pagesTrial(lab, 'naive', { pages: 2, saves: SAVES })
        errors = pages.flatMap((page) => page.errors)
      }
      expect(errors.length).toBeGreaterThan(0)
      expect(errors.every((error) => error.startsWith('StorageError LOCKED'))).toBe(true)
    })

    for (const driver of Object.keys(drivers)) {
      it(`${driver}: ${SAVES} saves from each page, bursts included, no errors, and the file ends as one of the last saves`, async () => {
        // Only loops that ran at the same time prove anything; a loaded machine can run one after the other.
        let trial = await pagesTrial(lab, driver, { pages: 2, saves: SAVES })
        for (let attempt = 1; attempt < ATTEMPTS && trial.overlapMs <= 0; attempt++) {
          expect(trial.pages.map(({ errors }) => errors)).toEqual([[], []])
          trial = await pagesTrial(lab, driver, { pages: 2, saves: SAVES })
        }
        const { pages, found, overlapMs } = trial
        expect(overlapMs).toBeGreaterThan(0)
        expect(pages.map(({ errors }) => errors)).toEqual([[], []])
        expect(found.problem).toBeUndefined()
        expect(pages.map(({ last }) => last)).toContainEqual({ seq: found.seq, length: found.length })
      })
    }
  })
}
