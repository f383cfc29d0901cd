import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adoptionTrial, lostByBrowser, type AdoptionTrialReport } from '../src/adoption.ts'
import type { Lab } from '../src/lab.ts'
import type { Engine } from '@stowage/browsers/launch'
import type { Patch } from '@stowage/browsers/session'
import { labIn } from './lab.ts'

function describeReport({ serving, other, kills, survived, lost, sweepMs, ms }: AdoptionTrialReport): string {
  return [
    `${other} → ${serving}: ${kills} kills within a ${sweepMs.toFixed(0)} ms sweep, ${survived} survived, ${(ms / 1000).toFixed(1)} s`,
    ...lost.flatMap(({ kill, file, expected, found, scene, namespaceGone }) => [
      `  kill ${kill}: ${file} must hold save ${expected}, holds ${found}${namespaceGone ? " (a tier's directory or database gone)" : ''}`,
      ...scene.map((line) => `    ${line}`),
    ]),
  ].join('\n')
}

/** The sweep's one step from the newest copy to its new place, in core's built code. */
const LOAD_WINNER = 'const bytes = await blame(winner.driver, (options) => winner.driver.load(file, options));'
/** A naive move: the old copy deleted as soon as it is read, before it is saved where served. */
const DELETE_BEFORE_SAVE: Patch = {
  file: 'core/dist/driver.js',
  from: LOAD_WINNER,
  to: `${LOAD_WINNER} await winner.driver.remove(file);`,
}
const NAIVE_CAP = 40

/** Kills in the middle of adoption sweeps, in each direction given as [other, serving]; first, a naive sweep caught. */
export function describeAdoptionCrashes(engine: Engine, port: number, directions: [string, string][], kills: number) {
  let lab: Lab
  beforeAll(async () => {
    lab = await labIn(engine, port)
  })
  afterAll(() => lab?.dispose())

  describe(`${engine} SIGKILLed in the middle of adoption sweeps`, () => {
    it(`catches a sweep that deletes the old copy before saving the new one, within ${NAIVE_CAP} kills`, async () => {
      const naive = await labIn(engine, port + 10, [DELETE_BEFORE_SAVE])
      try {
        const [other, serving] = directions[0]!
        const report = await adoptionTrial(naive, { serving, other, kills: NAIVE_CAP, untilCaught: true })
        console.log(describeReport(report))
        expect(report.lost.length).toBeGreaterThan(0)
      } finally {
        await naive.dispose()
      }
    })

    for (const [other, serving] of directions) {
      it(`${other} → ${serving}: after each of ${kills} kills every file holds its newest copy, in ${serving} only`, async () => {
        const report = await adoptionTrial(lab, { serving, other, kills })
        console.log(describeReport(report))
        // Chromium can fail to open an IndexedDB backing store after a kill, or drop the database:
        // excused only with that evidence.
        expect(report.lost.filter((loss) => !lostByBrowser(loss))).toEqual([])
        expect(report.kills).toBe(kills)
      })
    }
  })
}
