import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeLoaded, seed as seedTiers } from '@stowage/browser-lab/src/adoption.ts'
import type { Lab } from '@stowage/browser-lab/src/lab.ts'
import { isIndexedDB, type Loaded, type Survey, type Tiers, tierPlace } from '@stowage/browser-lab/src/protocol.ts'
import { within } from '@stowage/browsers/within'
import type { AdoptionReport } from '@stowage/core/driver'
import { LOSSES, type PowerProblem } from './judge.js'
import { type CrashState, type Disk, syncCounts } from './model.js'
import { seeded } from './random.js'
import { recordRun } from './record.js'
import { type BrowserEvidence, bootOn, type Look } from './replay.js'
import { distinctDisks } from './draw.js'
import { droppedBefore, type Evidence, explainer } from './twins.js'

/**
 * Which sweep is recorded. 'copy': the first start after a tier change, whose sweep copies and
 * keeps the old copies until the new ones settle (serve's default). 'settled': a start a minute
 * later: a first sweep ran before the snapshot, whose disk (every write on it durable) stands for
 * its copies settled, and the recorded sweep removes the old copies. 'at once': a sweep that
 * removes them as soon as it has verified a copy (`settleMs: 0`), as adoption did before settling.
 */
export type SweepPhase = 'copy' | 'settled' | 'at once'

/** An adoption sweep's power-loss trial: which tiers, which sweep, how much to seed, generate and boot. */
export interface AdoptionPowerOptions {
  serving: string
  other: string
  /** Default 'copy'. */
  phase?: SweepPhase
  /** Crash states generated from the recorded sweep. */
  states: number
  /** Launches after which no more disks are booted, the twins of lost states included. */
  maxLaunches: number
  /** Files seeded: a third only in the other tier, a third newer there, a third newer where served. */
  files?: number
  maxLength?: number
  /** Whether the serving driver can flush its saves (trial.ts's `flushes`). */
  flushes?: boolean
  /** Stop after the first disk with a lost state that this calls caught: for a sweep built to fail. */
  untilCaught?: (lost: AdoptionLost) => boolean
  seed?: number
}

/** A crash state after which, once the sweep ran again, some file was held whole at its newest by neither tier. */
export interface AdoptionLost extends Evidence {
  /** Which disk, in the order they were booted (1-based). */
  disk: number
  /** Each such file. */
  files: string[]
  /** What each tier loaded of each, and what the sweep reported failing. */
  detail: string[]
  state: CrashState
}

/** What an adoption trial found, in figures, with every lost state. */
export interface AdoptionPowerReport {
  serving: string
  other: string
  seed: number
  /** What the recorded sweep did, unbroken: what the crash states cut. */
  recorded: AdoptionReport
  ops: number
  synced: string[]
  states: number
  disks: number
  launches: number
  checkedDisks: number
  checkedStates: number
  survived: number
  /** Of the states that survived, those where the other tier still held some file after the sweep: one it failed on, or whose copy there it did not remove. */
  leftInOther: number
  lost: AdoptionLost[]
  ms: number
}

/** What a booted state held once the sweep ran again on it: the sweep's report and each file in each tier. */
export interface Swept {
  swept: { adoption: AdoptionReport; survey: Survey } | { failed: string }
}

/**
 * The power-loss trial of an adoption sweep: seed files in two tiers (some newer in each, some
 * only in the other), record one sweep of `phase` into the serving tier, generate crash
 * states from the log, and boot each distinct disk they leave (in up to `maxLaunches` launches):
 * the sweep runs again there, as at the app's next start, and then each file must be held whole
 * at its newest by the serving tier, or else still by the other (where the sweep left it, to try
 * again). A crash may delay a move, never lose a file or let an older copy win. Every disk needs
 * a launch of its own: the sweep changes both tiers, the browser's databases included.
 */
export async function adoptionPowerTrial(lab: Lab, options: AdoptionPowerOptions): Promise<AdoptionPowerReport> {
  const {
    serving,
    other,
    states,
    maxLaunches,
    phase = 'copy',
    files = 6,
    maxLength = 64 * 1024,
    flushes = true,
  } = options
  // Fewer, and a tier would hold no seeded file: its namespace would look dropped by the browser.
  if (files < 3) throw new RangeError(`An adoption trial seeds at least 3 files, not ${files}`)
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31)
  const began = Date.now()
  const tiers: Tiers = { serving, other, place: 'power-adopt' }
  const settleMs = phase === 'copy' ? undefined : 0
  const work = await mkdtemp(join(tmpdir(), 'stowage-power-adopt-'))
  try {
    const {
      snapshot,
      timeline,
      ran,
      prepared: layout,
    } = await recordRun(
      lab,
      work,
      async (page) => {
        const seeded = await seedTiers(page, tiers, 1, files, maxLength)
        if (phase === 'settled') await page.call({ op: 'adopt', ...tiers })
        return seeded
      },
      async (browser) => (await browser.openLab()).call({ op: 'adopt', ...tiers, settleMs }),
    )
    const { expected, copies } = layout
    // In the order drawn, weighted to what was pending: the disks that stand for the most states
    // are the quiet points with nothing pending, where a sweep has nothing to lose.
    const disks = [...distinctDisks(timeline, states, seeded(seed))]
    const report: AdoptionPowerReport = {
      serving,
      other,
      seed,
      recorded: ran,
      ops: timeline.length,
      synced: syncCounts(timeline),
      states,
      disks: disks.length,
      launches: 0,
      checkedDisks: 0,
      checkedStates: 0,
      survived: 0,
      leftInOther: 0,
      lost: [],
      ms: 0,
    }
    const look = sweepAndSurvey(tiers, [...expected.keys()], settleMs)
    const boot = (disk: Disk) => bootOn(lab, snapshot, disk, join(work, `launch-${report.launches++}`), look)
    const explain = explainer(timeline, boot, flushes)
    const survives = (found: Swept) => judgeSweep(found, layout).ok
    const caught = () => options.untilCaught !== undefined && report.lost.some(options.untilCaught)
    const newestInOther = (file: string) => copies.other.get(file) === expected.get(file)
    for (const [key, { disk, states }] of disks) {
      if (report.launches >= maxLaunches || caught()) break
      const found = await boot(disk)
      report.checkedDisks++
      const judged = judgeSweep(found, layout)
      for (const state of states) {
        report.checkedStates++
        if (judged.ok) {
          report.survived++
          if (judged.left) report.leftInOther++
          continue
        }
        // Both namespaces held seeded files at the snapshot, so a missing one is the browser's doing,
        // and so is a torn log of its database. The serving tier's stands for any lost file, the
        // other tier's only where it held that file's newest copy.
        const servingShown = shownFor(found, look.places[0]!, serving)
        const otherShown = shownFor(found, look.places[1]!, other)
        const shown = judged.files.every(newestInOther) ? [servingShown, otherShown] : [servingShown]
        const evidence = await explain(state, key, survives, {
          problem: judged.problem,
          tornLogs: shown.flatMap(({ tornLogs }) => tornLogs),
          droppedByBrowser: shown.some(({ dropped }) => dropped),
        })
        report.lost.push({ ...evidence, disk: report.checkedDisks, files: judged.files, detail: judged.detail, state })
      }
    }
    report.ms = Date.now() - began
    return report
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

/**
 * What a booted state showed of the browser's doing to one tier: its namespace gone before the
 * sweep, and the torn logs of its database (IndexedDB's, or OPFS's own, which both OPFS tiers share).
 */
function shownFor(found: BrowserEvidence, place: string, driver: string) {
  const indexedDB = isIndexedDB(driver)
  return {
    dropped: droppedBefore(found.before, place, indexedDB),
    tornLogs: found.tornLogs.filter((line) => line.includes(indexedDB ? 'IndexedDB' : 'File System')),
  }
}

/** Runs the sweep on a booted state, as the app's next start would, then loads every file from both tiers. */
function sweepAndSurvey(tiers: Tiers, files: string[], settleMs: number | undefined): Look<Swept> {
  return {
    places: [tierPlace(tiers.place, tiers.serving), tierPlace(tiers.place, tiers.other)],
    look: async (page) => {
      try {
        const adoption = await within(
          page.call({ op: 'adopt', ...tiers, settleMs }),
          60_000,
          'the sweep after the power cut',
        )
        const survey = await within(page.call({ op: 'survey', ...tiers, files }), 60_000, 'the survey')
        return { swept: { adoption, survey } }
      } catch (error) {
        return { swept: { failed: String(error) } }
      }
    },
  }
}

/** A sweep's verdict: whether it left some file in the other tier, or what was lost. */
export type SweepJudgement =
  | { ok: true; left: boolean }
  | { ok: false; problem: PowerProblem; files: string[]; detail: string[] }

/** What the seeding left: the save each file must end up holding, and the copies each tier got. */
export interface Seeded {
  expected: Map<string, number>
  copies: Record<'serving' | 'other', Map<string, number>>
}

/**
 * Judges a booted state after its sweep: each file must be served whole at the save `expected`
 * names (its newest copy). Where the sweep reported failing on a file, which then stays where it
 * is, the newest copy whole in the other tier will do, but never torn bytes served as data. A
 * whole save served that no tier held of that file is `NEVER_STARTED`, not a loss. The problem
 * is the worst of what was served: a tear before a loss.
 */
export function judgeSweep({ swept }: Swept, { expected, copies }: Seeded): SweepJudgement {
  const every = [...expected.keys()]
  if ('failed' in swept) return { ok: false, problem: 'LOAD_FAILED', files: every, detail: [swept.failed] }
  const { adoption, survey } = swept
  const holds = (loaded: Loaded | undefined, seq: number) =>
    loaded !== undefined && 'verdict' in loaded && loaded.verdict.seq === seq && !loaded.verdict.problem
  const sweepFailed = (file: string) => adoption.failed.some((failure) => (failure.file ?? file) === file)
  const problems: PowerProblem[] = []
  const files: string[] = []
  const detail: string[] = []
  let left = false
  for (const [file, seq] of expected) {
    const [served, kept] = [survey.found[file]!, survey.inOther[file]]
    const seeded = [copies.serving.get(file), copies.other.get(file)]
    const wrongSave = (got: number | null): PowerProblem | undefined =>
      got === seq ? undefined : seeded.includes(got ?? undefined) ? 'OLDER_THAN_ACKED' : 'NEVER_STARTED'
    const problem = 'failed' in served ? 'LOAD_FAILED' : (served.verdict.problem ?? wrongSave(served.verdict.seq))
    if (!problem) {
      left ||= kept !== undefined
      continue
    }
    if (LOSSES.includes(problem) && sweepFailed(file) && holds(kept, seq)) {
      left = true
      continue
    }
    problems.push(problem)
    files.push(file)
    detail.push(
      `${file}: save ${seq} expected; served ${describeLoaded(served)}${kept ? `, the other tier ${describeLoaded(kept)}` : ''}`,
    )
  }
  if (!problems.length) return { ok: true, left }
  const failed = adoption.failed.map(
    ({ file, from, code, message }) => `sweep failed: ${file ?? from} ${code} ${message}`,
  )
  const problem = problems.find((problem) => !LOSSES.includes(problem)) ?? problems[0]!
  return { ok: false, problem, files, detail: [...detail, ...failed] }
}
