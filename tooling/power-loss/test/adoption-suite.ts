import type { Engine } from '@stowage/browsers/launch'
import { expect, it } from 'vitest'
import { type AdoptionLost, type AdoptionPowerOptions, adoptionPowerTrial, type SweepPhase } from '../src/adoption.ts'
import { describeAdoptionReport } from '../src/report.ts'
import { lostByBrowser } from '../src/twins.ts'
import { long, useLab } from './power-suite.ts'

type AdoptionTrial = (options: AdoptionPowerOptions) => ReturnType<typeof adoptionPowerTrial>

/** The test file's lab, and an adoption trial that prints its report whatever the outcome. */
export function adoptionLab(engine: Engine, port: number): AdoptionTrial {
  const lab = useLab(engine, port)
  return async (options) => {
    const report = await adoptionPowerTrial(lab(), options)
    console.log(describeAdoptionReport(report))
    return report
  }
}

/** Files seeded: browser-lab's seed gives the other tier a copy of each. */
const FILES = 6

/** 200 states (STOWAGE_POWER_STATES for the long run) and a budget of launches: each disk needs one. */
const sized = (maxLaunches: number) => ({ states: long || 200, maxLaunches: long || maxLaunches })

/**
 * A sweep from `other` into `serving`: each state, swept again, holds every file whole at its
 * newest, and each loss is the browser's, with evidence that it dropped a whole database or
 * directory, or that its own log reported corruption. The copy phase keeps every old copy and the
 * settled phase removes them all, so a file the sweep created, whose name the browser had not made
 * durable, is never lost: the old copy is still there ('at once' lost such files, 16 of 38 states).
 */
export function itAdopts(
  trial: AdoptionTrial,
  serving: string,
  other: string,
  maxLaunches: number,
  phase: Exclude<SweepPhase, 'at once'> = 'copy',
): void {
  it(`from ${other} into ${serving}, ${phase === 'copy' ? 'copying' : 'removing the settled old copies'}: every file whole at its newest; each loss the browser's, with evidence`, async () => {
    const report = await trial({ serving, other, phase, files: FILES, ...sized(maxLaunches) })
    // The recorded sweep, unbroken, kept (copy) or removed (settled) the other tier's copy of every file.
    const { superseded, pending, failed } = report.recorded
    expect([failed, superseded.length, pending.length]).toEqual([[], ...(phase === 'copy' ? [0, FILES] : [FILES, 0])])
    expect(report.checkedDisks).toBeGreaterThan(0)
    const evidenced = (lost: AdoptionLost) => lost.droppedByBrowser || lost.tornLogs.length > 0
    expect(report.lost.filter((lost) => !(lostByBrowser(lost) && evidenced(lost)))).toEqual([])
  })
}

/**
 * A serving tier whose saves are relaxed (opfs-sync-relaxed), swept 'at once': the sweep removes
 * the other copy once the serving save resolved, before its header was flushed. It must be caught
 * losing or serving an older copy of a file in a way no browser evidence excuses.
 */
export function itCatchesUnflushedAdoption(trial: AdoptionTrial, other: string, maxLaunches = 12): void {
  it(`catches a sweep whose copies are not flushed before ${other}'s are removed`, async () => {
    const caught = (lost: AdoptionLost) => !lostByBrowser(lost)
    const report = await trial({
      serving: 'opfs-sync-relaxed',
      other,
      phase: 'at once',
      states: 200,
      maxLaunches,
      untilCaught: caught,
    })
    expect(report.lost.filter(caught)).not.toEqual([])
  })
}
