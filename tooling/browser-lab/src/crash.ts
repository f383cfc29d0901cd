import { judgeCrash, type CrashProblem, type Seen } from './judge.js'
import type { Lab, LabPage } from './lab.js'
import type { LabEvent, Target } from './protocol.js'
import { backingStoreFailed, emptiedDatabase, holdsNamespace } from './inspect.js'
import { tornLogs } from './torn-logs.js'
import { within } from '@stowage/browsers/within'

export interface CrashOptions {
  driver: string
  kills: number
  /** Stop at the first problem: for a driver that is meant to fail. */
  untilCaught?: boolean
  /** The largest payload; sizes are uniform from a header's 16 bytes up to this. */
  maxLength?: number
  /** The loop runs for a uniformly random time up to this long after its first ack before the kill is planned. */
  maxDelayMs?: number
  /**
   * The share of kills aimed inside a save: at a uniformly random moment within the typical
   * duration of a save after one starts. The others land wherever the random delay ends.
   */
  aimed?: number
}

export interface Caught {
  /** Which kill (1-based) left the file this way. */
  kill: number
  problem: CrashProblem
  detail: string
  acked: number
  started: number
  /** What the relaunched browser held around the namespace before the driver looked, and after (see inspect.ts). */
  before: string[]
  scene: string[]
  /** The browser's own report, in its profile, of a torn LevelDB log (see torn-logs.ts). */
  tornLogs: string[]
  /**
   * The driver's whole directory or database was gone when the relaunched browser came up,
   * before the driver looked, although a save in it had been acknowledged. No driver deletes its
   * namespace: the browser dropped it (Chromium can delete an IndexedDB backing store it finds
   * corrupt on open, its log with it). Or its database was there, but the origin held fewer bytes
   * than either save the file may hold (see `emptiedDatabase`). Or the browser failed to open its
   * IndexedDB backing store at all (see `backingStoreFailed`).
   */
  droppedByBrowser: boolean
}

export interface CrashReport {
  driver: string
  kills: number
  survived: number
  /** Survived kills that landed while a save was in flight, by which save the file held. */
  inFlightWon: number
  previousWon: number
  /** Survived kills that landed after an ack and before the next save started. */
  between: number
  caught: Caught[]
  /** What the browser held around the namespace after the last kill: what the crashes left behind. */
  scene: string[]
  ms: number
}

/**
 * The crash trial: a worker saves self-describing payloads in a loop, the browser is SIGKILLed at
 * a random moment, relaunched on the same profile, and the file is loaded and judged. Repeated
 * `kills` times on one file, each loop going on from where the last one stopped.
 */
export async function crashTrial(lab: Lab, options: CrashOptions): Promise<CrashReport> {
  const { driver, kills, untilCaught = false, maxLength = 4 * 2 ** 20, maxDelayMs = 150, aimed = 0.75 } = options
  const target: Target = { driver, place: `crash-${driver}`, file: 'trial.bin' }
  const report: CrashReport = {
    driver,
    kills: 0,
    survived: 0,
    inFlightWon: 0,
    previousWon: 0,
    between: 0,
    caught: [],
    scene: [],
    ms: 0,
  }
  const began = Date.now()
  const profile = await lab.profile()
  let browser = await lab.launch(profile)
  let seen: Seen | undefined
  try {
    for (;;) {
      const watch = watchLoop()
      const page = await browser.openLab(watch.onEvent)
      if (seen) {
        const before = await inspect(page, target)
        const judgement = await judge(page, target, seen)
        if (judgement.ok) {
          report.survived++
          if (judgement.outcome === 'in-flight') report.inFlightWon++
          else if (judgement.outcome === 'previous') report.previousWon++
          else report.between++
        } else {
          const { problem, detail } = judgement
          const scene = await inspect(page, target)
          const least = Math.min(seen.lengths.get(seen.acked) ?? 0, seen.lengths.get(seen.started) ?? 0)
          const droppedByBrowser =
            seen.acked > 0 &&
            (!holdsNamespace(before, target.place) ||
              emptiedDatabase(before, target.place, least) ||
              backingStoreFailed(before))
          report.caught.push({
            kill: report.kills,
            problem,
            detail,
            acked: seen.acked,
            started: seen.started,
            before,
            scene,
            tornLogs: await tornLogs(profile),
            droppedByBrowser,
          })
        }
      }
      if (report.kills === kills || (untilCaught && report.caught.length)) {
        report.scene = await inspect(page, target)
        break
      }

      let failure: Error | undefined
      // The loop never ends but by failing; after the kill, that is how it ends.
      const loop = page.call({ op: 'loop', ...target, from: (seen?.started ?? 0) + 1, maxLength }).catch((error) => {
        failure = new Error(`The ${driver} save loop failed: ${String(error)}`)
        throw failure
      })
      loop.catch(() => {})
      await within(Promise.race([watch.firstAck, loop]), 60_000, `first ack of the ${driver} save loop`)
      await sleep(Math.random() * maxDelayMs)
      if (Math.random() < aimed) {
        await within(Promise.race([watch.nextStart(), loop]), 60_000, `next save of the ${driver} save loop`)
        await sleep(Math.random() * watch.typicalSaveMs())
      }
      if (failure) throw failure
      seen = watch.stop()
      // Synchronous up to the SIGKILLs: no event of the loop can slip in between the look and the kill.
      await browser.kill()
      report.kills++
      browser = await lab.launch(profile)
    }
  } finally {
    await browser.kill()
  }
  report.ms = Date.now() - began
  return report
}

function inspect(page: LabPage, target: Target): Promise<string[]> {
  return page.call({ op: 'inspect', place: target.place }).catch((error) => [`inspect failed: ${String(error)}`])
}

async function judge(page: LabPage, target: Target, seen: Seen) {
  try {
    return judgeCrash(await page.call({ op: 'load', ...target }), seen)
  } catch (error) {
    return { ok: false as const, problem: 'LOAD_FAILED' as const, detail: String(error) }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Records the loop's events as they come, up to the moment of the kill, and how long saves take. */
function watchLoop() {
  const seen = { acked: 0, started: 0, lengths: new Map<number, number>() }
  const durations: number[] = []
  let startedAt = 0
  let stopped = false
  let acked!: () => void
  const firstAck = new Promise<void>((resolve) => (acked = resolve))
  let started: (() => void) | undefined
  return {
    firstAck,
    nextStart: () => new Promise<void>((resolve) => (started = resolve)),
    /** The median time from a `started` to its `acked`, as the test sees them. */
    typicalSaveMs: () => [...durations].sort((a, b) => a - b)[durations.length >> 1] ?? 0,
    onEvent(event: LabEvent) {
      if (stopped) return
      if (event.event === 'started') {
        seen.started = event.seq
        seen.lengths.set(event.seq, event.length)
        startedAt = performance.now()
        started?.()
      } else {
        seen.acked = event.seq
        durations.push(performance.now() - startedAt)
        acked()
      }
    },
    stop(): Seen {
      stopped = true
      return seen
    },
  }
}
