import type { ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import type { LabBrowser, LabPage, LabSite } from './browser.js'
import { killTree } from '@stowage/browser-test/process-tree'
import { within } from './within.js'

const STARTUP_MS = 60_000
const SHUTDOWN_MS = 20_000

export interface Spawned {
  /** The browser's root process, started on the lab URL `/?tab=<firstTab>`. */
  child: ChildProcess
  /** `NAME=value` in the environment of every process of this launch, so that `kill()` finds them all. */
  marker: string
  name: string
}

/** A fresh marker for a launch's environment: `[NAME, value]`. */
export function launchMarker(): [string, string] {
  return ['STOWAGE_LAB_BROWSER', randomUUID()]
}

/**
 * A browser that no automation drives: its lab pages link themselves to the test (link.ts). The
 * first tab is the one it was started on; later ones are opened by the first (`window.open`);
 * a normal quit closes every tab, as a user would.
 */
export function linkedBrowser({ link }: LabSite, firstTab: string, { child, marker, name }: Spawned): LabBrowser {
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.once('error', () => resolve())
  })
  const running = () => child.pid !== undefined && child.exitCode === null && child.signalCode === null
  // No await before killTree: the exit of the root cannot be reaped (and its pid reused) in between.
  const kill = () => killTree(running() ? child.pid : undefined, marker).then(() => exited)
  const died = exited.then(() => Promise.reject(new Error(`${name} exited before the lab page linked`)))
  died.catch(() => {})

  let opener: Promise<LabPage> | undefined
  const pages: LabPage[] = []
  const opened = (page: LabPage) => {
    pages.push(page)
    return page
  }

  return {
    async openLab(onEvent) {
      if (!opener) {
        opener = within(
          Promise.race([link.attach(firstTab, onEvent), died]),
          STARTUP_MS,
          `${name} to load the lab page`,
        ).then(opened)
        return opener
      }
      const tab = randomUUID()
      await (await opener).call({ op: 'open', url: `/?tab=${tab}` })
      return opened(
        await within(Promise.race([link.attach(tab, onEvent), died]), STARTUP_MS, `${name} to open another lab page`),
      )
    },
    kill,
    async close() {
      await Promise.allSettled(pages.map((page) => page.call({ op: 'close' })))
      const timer = new Promise<'late'>((resolve) => setTimeout(resolve, SHUTDOWN_MS, 'late').unref())
      const late = (await Promise.race([exited, timer])) === 'late'
      await kill()
      if (late) throw new Error(`${name} did not quit within ${SHUTDOWN_MS} ms of its last tab closing; killed it`)
    },
  }
}
