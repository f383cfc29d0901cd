import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type CrashProblem, judgeCrash } from '@stowage/browser-lab/src/judge.ts'
import type { Lab } from '@stowage/browser-lab/src/lab.ts'
import type { Target } from '@stowage/browser-lab/src/protocol.ts'
import { diskKey } from './disk.js'
import { seenAfter } from './marks.js'
import { type CrashState, crashPoints, crashState, type Disk, diskOf } from './model.js'
import { record } from './record.js'
import { loadOn } from './replay.js'
import { seeded } from './random.js'

export interface PowerOptions {
  driver: string
  /** Saves acknowledged in the recorded loop. */
  saves: number
  /** Crash states generated from the recording. */
  states: number
  /** At most this many distinct disks are booted and loaded (each costs a browser launch). */
  maxDisks: number
  maxLength?: number
  /** Stop at the first disk that fails: for a driver built to fail. */
  untilCaught?: boolean
  seed?: number
}

/** A crash state whose disk failed the judge. */
export interface Lost {
  /** Which disk, in the order they were checked (1-based). */
  disk: number
  problem: CrashProblem | 'LOAD_FAILED'
  detail: string
  acked: number
  started: number
  state: CrashState
}

export interface PowerReport {
  driver: string
  seed: number
  /** Operations logged from the snapshot to the kill, and how many were fsyncs of files / directories. */
  ops: number
  fsyncs: number
  dirFsyncs: number
  crashPoints: number
  states: number
  disks: number
  /** Disks booted and loaded, and the states they stand for. */
  checkedDisks: number
  checkedStates: number
  survived: number
  /** Survived states by which save the file held (see browser-lab's judge). */
  outcomes: Record<'in-flight' | 'previous' | 'between', number>
  lost: Lost[]
  ms: number
}

/**
 * The power-loss trial of one driver: record a save loop, generate crash states from the log,
 * boot every distinct disk they leave (up to `maxDisks`) in a fresh browser, load the file
 * through the driver and judge it against what each state's crash point had acknowledged.
 */
export async function powerTrial(lab: Lab, options: PowerOptions): Promise<PowerReport> {
  const { driver, saves, states, maxDisks, maxLength = 256 * 1024, untilCaught = false } = options
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31)
  const began = Date.now()
  const target: Target = { driver, place: `power-${driver}`, file: 'trial.bin' }
  const work = await mkdtemp(join(tmpdir(), 'stowage-power-'))
  try {
    const { snapshot, timeline, seen } = await record(lab, work, { target, saves, maxLength })
    const random = seeded(seed)
    const points = crashPoints(timeline)
    const byDisk = new Map<string, { disk: Disk; states: CrashState[] }>()
    for (let i = 0; i < states; i++) {
      const state = crashState(timeline, points[i % points.length]!, random)
      const disk = diskOf(timeline, state)
      const key = diskKey(disk)
      const group = byDisk.get(key) ?? { disk, states: [] }
      group.states.push(state)
      byDisk.set(key, group)
    }
    const report: PowerReport = {
      driver,
      seed,
      ops: timeline.length,
      fsyncs: timeline.syncs.length,
      dirFsyncs: timeline.dirSyncs.length,
      crashPoints: points.length,
      states,
      disks: byDisk.size,
      checkedDisks: 0,
      checkedStates: 0,
      survived: 0,
      outcomes: { 'in-flight': 0, previous: 0, between: 0 },
      lost: [],
      ms: 0,
    }
    for (const group of byDisk.values()) {
      if (report.checkedDisks === maxDisks || (untilCaught && report.lost.length)) break
      const found = await loadOn(lab, snapshot, group.disk, join(work, `state-${report.checkedDisks}`), target)
      report.checkedDisks++
      for (const state of group.states) {
        report.checkedStates++
        const known = seenAfter(
          seen,
          timeline.marks.filter(({ at }) => at < state.point).map(({ mark }) => mark),
        )
        const judgement =
          'failed' in found
            ? { ok: false as const, problem: 'LOAD_FAILED' as const, detail: found.failed }
            : judgeCrash(found.verdict, known)
        if (judgement.ok) {
          report.survived++
          report.outcomes[judgement.outcome]++
        } else {
          const { problem, detail } = judgement
          const { acked, started } = known
          report.lost.push({ disk: report.checkedDisks, problem, detail, acked, started, state })
        }
      }
    }
    report.ms = Date.now() - began
    return report
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}
