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

/** 200 states (STOWAGE_POWER_STATES for the long run) and a budget of launches: each disk needs one. */
const sized = (maxLaunches: number) => ({ states: long || 200, maxLaunches: long || maxLaunches })

/**
 * Files the serving tier did not hold before the sweep, which the sweep creates there: in
 * browser-lab's seeding, every third file from the first.
 */
const createdBySweep = (file: string) => Number(file.slice(1)) % 3 === 0

/**
 * A sweep from `other` into `serving`: each state, swept again, holds every file whole at its
 * newest; each loss is the browser's, with evidence. Pinned, the two ways seen: a file the sweep
 * created in the serving tier, whose new name the browser did not make durable when its save was
 * acknowledged, while the other tier's remove of the old copy was; or any file, where the browser
 * dropped a whole database or directory, or its own log reported corruption.
 */
export function itAdopts(trial: AdoptionTrial, serving: string, other: string, maxLaunches: number): void {
  it(`from ${other} into ${serving}: every file whole at its newest; each loss the browser's, with evidence`, async () => {
    const size = sized(maxLaunches)
    const report = await trial({ serving, other, ...size })
    expect(report.checkedDisks === report.disks || report.launches >= size.maxLaunches).toBe(true)
    expect(report.lost.filter((lost) => !lostByBrowser(lost))).toEqual([])
    const dropped = (lost: AdoptionLost) => lost.droppedByBrowser || lost.tornLogs.length > 0
    const heldBefore = report.lost.filter((lost) => !dropped(lost)).flatMap(({ files }) => files)
    expect(heldBefore.filter((file) => !createdBySweep(file))).toEqual([])
  })
}

/**
 * A serving tier whose saves are relaxed (opfs-sync-relaxed): the sweep removes the other copy
 * once the serving save resolved, before its bytes were flushed. It must be caught losing or
 * serving an older copy of a file in a way no browser evidence excuses.
 */
export function itCatchesUnflushedAdoption(trial: AdoptionTrial, other: string, maxLaunches = 12): void {
  it(`catches a sweep whose copies are not flushed before ${other}'s are removed`, async () => {
    const caught = (lost: AdoptionLost) => !lostByBrowser(lost)
    const report = await trial({ serving: 'opfs-sync-relaxed', other, states: 200, maxLaunches, untilCaught: caught })
    expect(report.lost.filter(caught)).not.toEqual([])
  })
}
