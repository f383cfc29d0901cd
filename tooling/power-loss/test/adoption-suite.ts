import type { Engine } from '@stowage/browsers/launch'
import { expect, it } from 'vitest'
import { type AdoptionLost, type AdoptionPowerOptions, adoptionPowerTrial } from '../src/adoption.ts'
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
 * newest; each loss is the browser's, with evidence. Pinned, the two ways seen: a file the sweep
 * created in the serving tier, whose new name the browser did not make durable when its save was
 * acknowledged, while the other tier's remove of the old copy was; or any file, where the browser
 * dropped a whole database or directory, or its own log reported corruption.
 */
export function itAdopts(trial: AdoptionTrial, serving: string, other: string, maxLaunches: number): void {
  it(`from ${other} into ${serving}: every file whole at its newest; each loss the browser's, with evidence`, async () => {
    const report = await trial({ serving, other, files: FILES, ...sized(maxLaunches) })
    // The recorded sweep, unbroken, moved or dropped the other tier's copy of every file.
    const { adopted, superseded, failed } = report.recorded
    expect([failed, adopted.length + superseded.length]).toEqual([[], FILES])
    expect(report.checkedDisks).toBeGreaterThan(0)
    expect(report.lost.filter((lost) => !lostByBrowser(lost))).toEqual([])
    const dropped = (lost: AdoptionLost) => lost.droppedByBrowser || lost.tornLogs.length > 0
    const heldBefore = report.lost.filter((lost) => !dropped(lost)).flatMap(({ files }) => files)
    expect(heldBefore.filter((file) => !report.createdBySweep.includes(file))).toEqual([])
  })
}

/**
 * A serving tier whose saves are relaxed (opfs-sync-relaxed): the sweep removes the other copy
 * once the serving save resolved, before its header was flushed. It must be caught losing or
 * serving an older copy of a file in a way no browser evidence excuses.
 */
export function itCatchesUnflushedAdoption(trial: AdoptionTrial, other: string, maxLaunches = 12): void {
  it(`catches a sweep whose copies are not flushed before ${other}'s are removed`, async () => {
    const caught = (lost: AdoptionLost) => !lostByBrowser(lost)
    const report = await trial({ serving: 'opfs-sync-relaxed', other, states: 200, maxLaunches, untilCaught: caught })
    expect(report.lost.filter(caught)).not.toEqual([])
  })
}
