import type { ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { killTree, processTree, waitGone } from './process-tree.js'
import type { CaseOutcome } from './protocol.js'

export type Engine = 'chromium' | 'firefox' | 'webkit'

export interface LaunchOptions {
  /**
   * Drive the browser through its automation protocol (`open`, then `run`). Without it (`false`),
   * the browser only loads `url` and its pages reach the test over a link (link.ts): the fastest
   * launch there is.
   */
  automation?: boolean
  /** The page the first tab loads, for a launch with no automation. */
  url?: string
  /**
   * A private window, where storage stays in memory or is dropped when the browser quits:
   * Chromium's off-the-record context (incognito), Firefox's private browsing. Not on WebKitGTK.
   */
  private?: boolean
}

/** One tab of a browser, running the cases of its page (see `exposeCases`). */
export interface Tab {
  run(name: string, args: unknown[]): Promise<CaseOutcome>
  close(): Promise<void>
}

/** A browser on a profile folder on disk, started by us: its processes are ours to kill. */
export interface Browser {
  engine: Engine
  /** With automation: opens `url` in a tab (the first call may reuse the tab of the launch). */
  open(url: string): Promise<Tab>
  /**
   * A normal quit (with automation, through its protocol; without, the pages closed their tabs),
   * then whatever is left is killed. Idempotent.
   */
  close(): Promise<void>
  /** The crash: every process of the browser SIGKILLed at one moment; resolves when all are gone. Idempotent. */
  kill(): Promise<void>
  /** Settles when the browser's root process has exited. */
  exited: Promise<void>
}

/** A fresh marker for a launch: every process started with `env` carries it, so `kill()` finds them all. */
export function marker(): { env: NodeJS.ProcessEnv; text: string } {
  const value = randomUUID()
  return { env: { ...process.env, STOWAGE_BROWSER: value }, text: `STOWAGE_BROWSER=${value}` }
}

const SHUTDOWN_MS = 20_000

/** The process side of a launch: `child` is its root, `mark` is in the environment of all its processes. */
export function owned(child: ChildProcess, mark: string, name: string) {
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.once('error', () => resolve())
  })
  const running = () => child.pid !== undefined && child.exitCode === null && child.signalCode === null
  // No await before killTree: the exit of the root cannot be reaped (and its pid reused) in between.
  const kill = () => killTree(running() ? child.pid : undefined, mark).then(() => exited)
  return {
    exited,
    running,
    kill,
    /** Waits until the root exits on its own, and its descendants after it, then kills what is left. */
    async quit(): Promise<void> {
      // Only while the root runs: the pid of a root that exited may be another process's by now.
      const descendants = running() ? processTree(child.pid).filter(({ pid }) => pid !== child.pid) : []
      const timer = new Promise<'late'>((resolve) => setTimeout(resolve, SHUTDOWN_MS, 'late').unref())
      const late = (await Promise.race([exited, timer])) === 'late'
      try {
        if (!late) await waitGone(descendants)
      } finally {
        await kill()
      }
      if (late) throw new Error(`${name} did not quit within ${SHUTDOWN_MS} ms; killed it`)
    },
  }
}

/** A launch with no automation: its pages link themselves to the test; a quit is theirs to start. */
export function plain(engine: Engine, proc: ReturnType<typeof owned>): Browser {
  return {
    engine,
    open: () => Promise.reject(new Error(`${engine} was launched with no automation: its pages link themselves`)),
    close: proc.quit,
    kill: proc.kill,
    exited: proc.exited,
  }
}
