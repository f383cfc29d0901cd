import { fileURLToPath } from 'node:url'
import { createLab, type Lab } from '@stowage/browser-lab/src/lab.ts'
import type { Engine } from '@stowage/browsers/launch'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeReport } from '../src/report.ts'
import { type Lost, type PowerOptions, type PowerReport, powerTrial } from '../src/trial.ts'
import { lostByBrowser } from '../src/twins.ts'

/**
 * STOWAGE_POWER_STATES=<n> for the long run: 20 saves recorded per driver, n states generated and
 * up to n launches to load their disks. Without it, the CI-sized run: a few saves, 200 states, a
 * dozen launches at most.
 * STOWAGE_POWER_KEEP=<folder> keeps every lost state's disk there.
 */
export const long = Number(process.env.STOWAGE_POWER_STATES ?? 0)
const seed = process.env.STOWAGE_POWER_SEED ? Number(process.env.STOWAGE_POWER_SEED) : undefined
export const sized = (saves: number, maxLaunches: number) =>
  long ? { saves: 20, states: long, maxLaunches: long, seed } : { saves, states: 200, maxLaunches, seed }

export type Trial = (options: PowerOptions) => Promise<PowerReport>

/**
 * The test file's lab in `engine` on its own `port`, and a trial that prints its report whatever
 * the outcome. Every trial must load alike under a running browser and after a relaunch, and one
 * not stopped at a catch must spend its launches or load every disk.
 */
export function powerLab(engine: Engine, port: number): Trial {
  const lab = useLab(engine, port)
  return async (options) => {
    const report = await powerTrial(lab(), { keep: process.env.STOWAGE_POWER_KEEP, ...options })
    console.log(describeReport(report))
    expect(report.relaunchDiffers).toEqual([])
    if (!options.untilCaught)
      expect(report.checkedDisks === report.disks || report.launches >= options.maxLaunches).toBe(true)
    return report
  }
}

/** The test file's lab in `engine` on its own `port`, made before its tests and disposed of after them. */
export function useLab(engine: Engine, port: number): () => Lab {
  let lab: Lab
  beforeAll(async () => {
    lab = await createLab({ engine, port, worker: fileURLToPath(new URL('./lab.worker.ts', import.meta.url)) })
  })
  afterAll(() => lab?.dispose())
  return () => lab
}

/** At most how many launches each planted driver may take to be caught. */
export type PlantedLaunches = Record<'naive' | 'unflushed-data' | 'unflushed-relaxed', number>

/** The drivers built to fail: each must be caught losing its file in a way no browser evidence excuses. */
export function itCatchesPlanted(trial: Trial, maxLaunches: PlantedLaunches): void {
  const planted = [
    ['naive', 'truncate-then-write', 'strict'],
    ['unflushed-data', 'two slots whose header is written before the data under it is flushed', 'strict'],
    ['unflushed-relaxed', 'relaxed saves that skip both flushes', 'relaxed'],
  ] as const
  for (const [driver, what, rule] of planted) {
    it(`catches ${driver}: ${what}`, async () => {
      // A loss the browser shows its own evidence for (its database gone before the driver
      // looked, say) is no catch. unflushed-relaxed asks for no flush at all, so the evidence
      // "the browser fsynced nothing" is its own doing there and excuses nothing.
      const caught = (lost: Lost) => !lostByBrowser(rule === 'strict' ? lost : { ...lost, nothingSynced: false })
      const report = await trial({
        driver,
        rule,
        saves: 3,
        states: 200,
        maxLaunches: maxLaunches[driver],
        untilCaught: caught,
        seed,
      })
      expect(report.lost.filter(caught)).not.toEqual([])
    })
  }
}

/**
 * A strict driver where the browser API reaches fsync: no state tears the file, each loss is the
 * browser's own. `fresh`: the loop's first save creates the file, so that its creation (the
 * names, and for OPFS the browser's own record of the file) is cut by the power too.
 */
export function itHoldsStrict(trial: Trial, driver: string, size: ReturnType<typeof sized>, fresh = false): void {
  const from = fresh ? ", from the file's first save" : ''
  it(`${driver}, strict${from}: no state tears the file; each loss the browser's own, with evidence`, async () => {
    const report = await trial({ driver, fresh, ...size })
    expect(report.lost.filter((lost) => !lostByBrowser(lost))).toEqual([])
  })
}

/** opfs-sync with every save relaxed: no state tears the file; an older complete save is allowed. */
export function itHoldsRelaxed(trial: Trial, size: ReturnType<typeof sized>): void {
  it('opfs-sync, relaxed: no state tears the file; an older complete save is allowed', async () => {
    // Payloads under 12 KiB share pages with the headers and lie in each other's old regions, so
    // that a save written over the region named by the header an unflushed one would replace
    // tears: opfs-sync with that rule removed from nextSlot was caught at disk 14 on Chromium.
    const report = await trial({ driver: 'opfs-sync-relaxed', rule: 'relaxed', ...size, maxLength: 12_000 })
    expect(report.lost.filter((lost) => !lostByBrowser(lost))).toEqual([])
  })
}

/**
 * The lost states whose file loaded as data, though no save wrote it so: a tear that the driver's
 * own check let through. Every other loss is a file gone, older, brought back after a remove, or
 * refused (CORRUPT).
 */
export const loadedTorn = (report: PowerReport) =>
  report.lost.filter((lost) => !['NOT_FOUND', 'OLDER_THAN_ACKED', 'RESURRECTED', 'LOAD_FAILED'].includes(lost.problem))

/**
 * A planted remove bug must be caught by a file that a power cut brought back after its
 * acknowledged remove (`RESURRECTED`), which no browser evidence excuses. The bug shows only at
 * the crash points between a remove's ack and its late effect, so every other operation is a
 * remove (remove 2, save 3, remove 4, ...) and payloads are small, so that the points with a
 * whole save's pages pending do not outweigh those: with payloads up to 256 KiB the first 20
 * disks of a run held none of them, and once in two neither did a run with a remove every third op.
 */
export function itCatchesPlantedRemove(
  trial: Trial,
  driver: string,
  what: string,
  { states, maxLaunches }: { states: number; maxLaunches: number },
): void {
  it(`catches ${driver}: ${what}`, async () => {
    const caught = (lost: Lost) => !lostByBrowser(lost)
    const report = await trial({
      driver,
      removeEvery: 2,
      saves: 5,
      maxLength: 4096,
      states,
      maxLaunches,
      untilCaught: caught,
      seed,
    })
    expect(report.lost.filter(caught).map(({ problem }) => problem)).toContain('RESURRECTED')
  })
}

/** In the trials of removes, every third operation removes the file: save 2, remove 3, save 4, save 5, remove 6, ... */
export const REMOVE_EVERY = 3

/**
 * A strict driver with removes in its loop: every loss, and every save back after its remove, is
 * the browser's, with evidence. `pin` checks what the browser synced, on which that rests.
 */
export function itHoldsStrictWithRemoves(
  trial: Trial,
  driver: string,
  size: ReturnType<typeof sized>,
  pin?: (report: PowerReport) => void,
): void {
  it(`${driver}, strict, with removes: every loss and resurrection the browser's, with evidence`, async () => {
    const report = await trial({ driver, removeEvery: REMOVE_EVERY, ...size })
    expect(report.lost.filter((lost) => !lostByBrowser(lost))).toEqual([])
    pin?.(report)
  })
}
