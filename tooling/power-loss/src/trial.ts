import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { holdsNamespace } from '@stowage/browser-lab/src/inspect.ts'
import type { Seen } from '@stowage/browser-lab/src/judge.ts'
import type { Lab } from '@stowage/browser-lab/src/lab.ts'
import type { Target } from '@stowage/browser-lab/src/protocol.ts'
import { diskKey, writeDisk } from './disk.js'
import { type Held, holdsDeleted, judgePower, type Rule } from './judge.js'
import { seenAfter } from './marks.js'
import { distinctDisks } from './draw.js'
import { type CrashState, crashPoints, type Disk, syncCounts } from './model.js'
import { seeded } from './random.js'
import { record } from './record.js'
import { bootEach, bootOn, type Found, loadFile } from './replay.js'
import { isOpfsBytes, storageOf } from './storage.js'
import { droppedBefore, type Evidence, explainer } from './twins.js'

/** One driver's power-loss trial: how much to record, generate and boot. */
export interface PowerOptions {
  driver: string
  /** Saves acknowledged in the recorded loop. */
  saves: number
  /** Crash states generated from the recording. */
  states: number
  /**
   * Launches after which no more disks are loaded (each costs 2 to 8 s), the twins of lost states
   * included. One launch loads every disk that differs from its first only in the bytes of OPFS
   * files (`bootEach`).
   */
  maxLaunches: number
  rule?: Rule
  maxLength?: number
  /** The loop's first save creates the file (see record's `fresh`). */
  fresh?: boolean
  /** Every seq of the loop that this divides is a remove of the file, not a save (record's `removeEvery`). */
  removeEvery?: number
  /**
   * Whether the driver's browser API lets it flush its file (default true). Where it cannot
   * (opfs-async: `createWritable` has no flush), the files the browser never fsyncs are the
   * browser's to lose, and a loss that keeping them whole would spare is the browser's.
   */
  flushes?: boolean
  /** Stop after the first disk with a lost state that this calls caught: for a driver built to fail. */
  untilCaught?: (lost: Lost) => boolean
  seed?: number
  /** A folder to keep each lost state's disk in (its storage paths as the state left them), for a look afterwards. */
  keep?: string
}

/** A crash state whose disk failed the judge, with the evidence for who lost it. */
export interface Lost extends Evidence {
  /** Which disk, in the order they were checked (1-based). */
  disk: number
  detail: string
  acked: number
  started: number
  state: CrashState
}

/** What a trial found, in figures, with every lost state. */
export interface PowerReport {
  driver: string
  rule: Rule
  seed: number
  /** Operations logged from the snapshot to the kill, and how many were fsyncs of files / directories. */
  ops: number
  fsyncs: number
  dirFsyncs: number
  /** What the browser synced, in words: `<n> fdatasync|fsync <path>` per file, and `<n> fsync dir <path>`. */
  synced: string[]
  /** The names of the files it fsynced or fdatasynced, each once. */
  syncedFiles: string[]
  crashPoints: number
  states: number
  disks: number
  /** Launches all the disks need: disks alike but for the bytes of OPFS files share one. */
  launchesNeeded: number
  /** Browser launches made: to load disks, to boot twins, and the relaunch below. */
  launches: number
  /** Disks loaded, and the states they stand for. */
  checkedDisks: number
  checkedStates: number
  /**
   * Disks loaded under a running browser that were loaded again in a launch of their own (one in
   * a trial that loads more than one disk in some launch): the proof that a rewrite under a
   * running browser loads as a boot does. Those that loaded otherwise.
   */
  relaunched: number
  relaunchDiffers: string[]
  survived: number
  held: Record<Held, number>
  /** Of the states that survived, how many held no file, as a remove left it (acknowledged, in flight, or earlier under the relaxed rule). */
  absent: number
  /** Of those, how many had lost the whole directory or database before the driver looked: the browser dropped it, the remove did not. */
  absentDropped: number
  /** Of the states that survived under the relaxed rule, how many held a save that an acknowledged remove had deleted (an older state, allowed). */
  resurrectedOlder: number
  lost: Lost[]
  ms: number
}

/**
 * The power-loss trial of one driver: record a save loop, generate crash states from the log,
 * load every distinct disk they leave (in up to `maxLaunches` browser launches) through the
 * driver and judge it against what each state's crash point had acknowledged. A disk that fails is
 * booted again with what the browser left unsynced kept (its directories, then its own databases,
 * then, for a driver that cannot flush, its unsynced files), to tell the browser's losses apart.
 */
export async function powerTrial(lab: Lab, options: PowerOptions): Promise<PowerReport> {
  const { driver, saves, states, maxLaunches, rule = 'strict', maxLength = 256 * 1024, untilCaught } = options
  const { fresh = false, flushes = true, removeEvery } = options
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31)
  const began = Date.now()
  const target: Target = { driver, place: `power-${driver}`, file: 'trial.bin' }
  const work = await mkdtemp(join(tmpdir(), 'stowage-power-'))
  try {
    const { snapshot, timeline, seen } = await record(lab, work, { target, saves, maxLength, fresh, removeEvery })
    const groups = distinctDisks(timeline, states, seeded(seed))
    const rewritable = isOpfsBytes(lab)
    const launchGroups = byLaunch(groups, rewritable)
    const report: PowerReport = {
      driver,
      rule,
      seed,
      ops: timeline.length,
      fsyncs: timeline.syncs.length,
      dirFsyncs: timeline.dirSyncs.length,
      synced: syncCounts(timeline),
      syncedFiles: [...new Set(timeline.syncs.map(({ path }) => path))],
      crashPoints: crashPoints(timeline).length,
      states,
      disks: groups.size,
      launchesNeeded: launchGroups.length,
      launches: 0,
      checkedDisks: 0,
      checkedStates: 0,
      relaunched: 0,
      relaunchDiffers: [],
      survived: 0,
      held: { 'in-flight': 0, previous: 0, between: 0, older: 0, none: 0 },
      absent: 0,
      absentDropped: 0,
      resurrectedOlder: 0,
      lost: [],
      ms: 0,
    }
    /** A folder for the next browser launch: every launch is counted here. */
    const launchDir = () => join(work, `launch-${report.launches++}`)
    const boot = (disk: Disk) => bootOn(lab, snapshot, disk, launchDir(), loadFile(target))
    const explain = explainer(timeline, boot, flushes)
    const seenAt = (state: CrashState): Seen =>
      seenAfter(
        seen,
        timeline.marks.filter(({ at }) => at < state.point).map(({ mark }) => mark),
      )

    /** Judges every state that leads to the disk `key` by what the browser found on it. */
    async function judgeDisk({ key, disk, states }: DiskStates, found: Found): Promise<void> {
      report.checkedDisks++
      const lostBefore = report.lost.length
      for (const state of states) {
        report.checkedStates++
        const known = seenAt(state)
        const judged = judgePower(found, known, rule)
        if (judged.ok) {
          report.survived++
          report.held[judged.held]++
          if (judged.held === 'older' && holdsDeleted(found, known)) report.resurrectedOlder++
          if (judged.held !== 'none' && 'verdict' in found.load && found.load.verdict.problem === 'NOT_FOUND') {
            report.absent++
            if (!holdsNamespace(found.before, target.place)) report.absentDropped++
          }
          continue
        }
        // The same state booted again as if the browser had synced what it did not, a step at a time.
        const survives = (twin: Found) => judgePower(twin, known, rule).ok
        const evidence = await explain(state, key, survives, {
          problem: judged.problem,
          tornLogs: found.tornLogs,
          droppedByBrowser: droppedBefore(found.before, target.place),
        })
        report.lost.push({
          ...evidence,
          disk: report.checkedDisks,
          detail: judged.detail,
          acked: known.acked,
          started: known.started,
          state,
        })
      }
      if (options.keep && report.lost.length > lostBefore)
        await writeDisk(join(options.keep, `${driver}-seed-${seed}-disk-${report.checkedDisks}`), disk, storageOf(lab))
    }

    const caught = () => untilCaught !== undefined && report.lost.some(untilCaught)
    // The launch whose disks the relaunch below checks: the first that loaded some disk otherwise
    // than its first, else the first that loaded more than one.
    let toCheck: { group: DiskStates[]; loads: string[] } | undefined
    const differ = (loads: string[]) => loads.some((load) => load !== loads[0])
    for (const group of launchGroups) {
      if (report.launches >= maxLaunches || caught()) break
      const loads: string[] = []
      const disks = group.map(({ disk }) => disk)
      for await (const found of bootEach(lab, snapshot, disks, launchDir(), loadFile(target), rewritable)) {
        await judgeDisk(group[loads.length]!, found)
        loads.push(JSON.stringify(found.load))
        // More disks in this browser cost no launch; twins that overran the budget end it.
        if (caught() || report.launches > maxLaunches) break
      }
      if (loads.length > 1 && (!toCheck || (!differ(toCheck.loads) && differ(loads)))) toCheck = { group, loads }
    }
    if (toCheck) {
      // The last disk that loaded otherwise than its launch's first (a browser that kept the first
      // disk's bytes would have loaded it as the first), else the last.
      const { group, loads } = toCheck
      const which = Math.max(...loads.map((load, i) => (load === loads[0] ? 0 : i))) || loads.length - 1
      const booted = JSON.stringify((await boot(group[which]!.disk)).load)
      report.relaunched++
      if (booted !== loads[which])
        report.relaunchDiffers.push(`${loads[which]} under the running browser, ${booted} after a relaunch`)
    }
    report.ms = Date.now() - began
    return report
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

/** A distinct disk, and the crash states that leave it. */
interface DiskStates {
  key: string
  disk: Disk
  states: CrashState[]
}

/**
 * Cuts the distinct disks into the groups that one launch loads: each disk goes with the first one
 * that differs from it only in the bytes of the files `rewritable` names. The groups that stand
 * for the most states come first; those with as many, in the order their first disk came up.
 */
function byLaunch(disks: Map<string, Omit<DiskStates, 'key'>>, rewritable: (path: string) => boolean): DiskStates[][] {
  const groups = new Map<string, DiskStates[]>()
  for (const [key, disk] of disks) {
    const shared = diskKey(disk.disk, rewritable)
    groups.set(shared, [...(groups.get(shared) ?? []), { key, ...disk }])
  }
  const states = (group: DiskStates[]) => group.reduce((sum, { states }) => sum + states.length, 0)
  return [...groups.values()].sort((a, b) => states(b) - states(a))
}
