import { cp, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Seen } from '@stowage/browser-lab/src/judge.ts'
import type { Lab, LabBrowser, LabPage } from '@stowage/browser-lab/src/lab.ts'
import type { Target } from '@stowage/browser-lab/src/protocol.ts'
import { readDisk } from './disk.js'
import { readLog } from './log.js'
import { type Mark, MARKS, marker } from './marks.js'
import { type Timeline, timeline } from './model.js'
import { mountRecorder } from './mount.js'
import { storageOf } from './storage.js'

/** A recorded save loop, ready to cut into crash states. */
export interface Recording {
  /** The whole profile at the clean point, where the log begins. */
  snapshot: string
  timeline: Timeline
  /** What the test knew when the log began: the setup's save, acknowledged. */
  seen: Seen
}

/** Which file to save in the loop, how often, how large. */
export interface RecordOptions {
  target: Target
  /** How many operations (saves, and removes with `removeEvery`) of the loop are acknowledged before the plug is pulled. */
  saves: number
  /** The largest payload; lengths are uniform from 16 bytes up to it. */
  maxLength: number
  /**
   * The loop's first save creates the file: the setup saves another file of the same place, so
   * that the recording holds the file's creation (its names, and for OPFS its record in the
   * browser's own database). Else the setup saves the file itself, as save 1.
   */
  fresh?: boolean
  /** Every seq of the loop that this divides is a remove of the file instead of a save (the loop's `removeEvery`). */
  removeEvery?: number
}

/**
 * Records a save loop on the recording file system. A first browser saves the file (or, `fresh`,
 * another file of its place) once and quits normally: the profile then is the clean snapshot,
 * taken as durable. A second browser on it runs the save loop, each `started` and `acked` marked
 * in the log, until `saves` saves are acknowledged, and is SIGKILLed; the log from the snapshot
 * on is the recording.
 */
export async function record(
  lab: Lab,
  work: string,
  { target, saves, maxLength, fresh = false, removeEvery }: RecordOptions,
): Promise<Recording> {
  const first = { seq: 1, length: Math.min(maxLength, 4096) }
  const setup = (page: LabPage) =>
    page.call({ op: 'save', ...target, ...(fresh && { file: `setup-${target.file}` }), ...first })
  const saveLoop = async (browser: LabBrowser, mark: (mark: Mark) => void) => {
    let enough!: () => void
    const acknowledged = new Promise<void>((resolve) => (enough = resolve))
    const page = await browser.openLab((event) => {
      if (event.event === 'started')
        mark({ kind: 'started', seq: event.seq, length: event.length, ...(event.remove && { remove: true }) })
      else {
        mark({ kind: 'acked', seq: event.seq })
        if (event.seq > saves) enough()
      }
    })
    const loop = page.call({ op: 'loop', ...target, from: fresh ? 1 : 2, maxLength, removeEvery })
    await Promise.race([acknowledged, loop])
  }
  const { snapshot, timeline } = await recordRun(lab, work, setup, saveLoop)
  return {
    snapshot,
    timeline,
    seen: fresh
      ? { acked: 0, started: 0, lengths: new Map() }
      : { acked: first.seq, started: first.seq, lengths: new Map([[first.seq, first.length]]) },
  }
}

/**
 * Records `run` on the recording file system: a first browser does `setup` and quits normally,
 * and the profile then is the clean snapshot, taken as durable. A second browser on it does
 * `run`, which may mark the log, and is SIGKILLed as it ends; the log from the snapshot on is
 * the recording. Answers with it what `setup` (`prepared`) and `run` (`ran`) answered.
 */
export async function recordRun<S, T>(
  lab: Lab,
  work: string,
  setup: (page: LabPage) => Promise<S>,
  run: (browser: LabBrowser, mark: (mark: Mark) => void) => Promise<T>,
): Promise<Omit<Recording, 'seen'> & { prepared: S; ran: T }> {
  const backing = join(work, 'disk')
  const profile = join(work, 'profile')
  const logDir = join(work, 'log')
  const snapshot = join(work, 'snapshot')
  await Promise.all([backing, profile, logDir].map((dir) => mkdir(dir, { recursive: true })))
  const storage = storageOf(lab)
  const mount = await mountRecorder(backing, profile, logDir, [...storage, MARKS])
  let prepared: S
  let ran: T
  try {
    const first = await lab.launch(profile)
    try {
      prepared = await setup(await first.openLab())
    } finally {
      await first.close()
    }
    await cp(backing, snapshot, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true })
    const mark = marker(profile)
    mark({ kind: 'begin' })
    const browser = await lab.launch(profile)
    try {
      ran = await run(browser, mark)
    } finally {
      await browser.kill()
    }
  } finally {
    await mount.unmount()
  }
  const ops = await readLog(logDir)
  const begin = ops.findIndex(({ path }) => path.startsWith(`${MARKS}/0.begin`))
  return { snapshot, timeline: timeline(await readDisk(snapshot, storage), ops.slice(begin + 1)), prepared, ran }
}
