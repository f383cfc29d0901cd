import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Browser, Engine, Tab } from './browser.js'
import { launch } from './launch.js'
import type { CaseOutcome } from './protocol.js'
import { within } from './within.js'

/**
 * A page's own channel to the test, for a browser launched with no automation at all (the
 * fastest launch there is): requests go down a Server-Sent Events stream, replies and events come
 * back as POSTs. A page of `exposeCases` opened at `/?tab=<id>` links itself (see page.ts).
 */
export interface Link {
  /** Serves the channel's requests (give it to `serveStatic`); false for any other path. */
  route(request: IncomingMessage, response: ServerResponse): boolean
  /** Tab `tab`'s page, once it has connected, with its events bound to `onEvent`. */
  attach(tab: string, onEvent?: (event: unknown) => void): Promise<Tab>
  /** Ends every stream, so that the server can close. */
  close(): void
}

interface Entry {
  stream?: ServerResponse
  connected: Promise<void>
  onConnect(): void
  onEvent?: (event: unknown) => void
  pending: Map<number, (outcome: CaseOutcome) => void>
}

export function createLink(): Link {
  const tabs = new Map<string, Entry>()
  let nextId = 1

  function tab(id: string): Entry {
    let found = tabs.get(id)
    if (!found) {
      let onConnect!: () => void
      const connected = new Promise<void>((resolve) => (onConnect = resolve))
      found = { connected, onConnect, pending: new Map() }
      tabs.set(id, found)
    }
    return found
  }

  function gone(entry: Entry): void {
    const error = { name: 'Error', message: 'The page went away (its browser was killed or closed)' }
    for (const settle of entry.pending.values()) settle({ ok: false, error })
    entry.pending.clear()
  }

  return {
    route(request, response) {
      const url = new URL(request.url ?? '/', 'http://x')
      const id = url.searchParams.get('tab')
      if (!url.pathname.startsWith('/link/') || !id) return false
      const entry = tab(id)
      if (url.pathname === '/link/requests') {
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
        response.write(': linked\n\n')
        entry.stream = response
        request.once('close', () => {
          if (entry.stream === response) entry.stream = undefined
          gone(entry)
        })
        entry.onConnect()
        return true
      }
      let body = ''
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      request.once('end', () => {
        if (url.pathname === '/link/event') entry.onEvent?.(JSON.parse(body))
        else {
          const { id, ...outcome } = JSON.parse(body) as { id: number } & CaseOutcome
          entry.pending.get(id)?.(outcome)
          entry.pending.delete(id)
        }
        // An event's sender waits on this answer: the event is recorded by now.
        response.writeHead(204).end()
      })
      return true
    },

    async attach(id, onEvent) {
      const entry = tab(id)
      entry.onEvent = onEvent
      await entry.connected
      return {
        run(name, args) {
          if (!entry.stream) return Promise.reject(new Error('The page is not connected'))
          const callId = nextId++
          const outcome = new Promise<CaseOutcome>((resolve) => entry.pending.set(callId, resolve))
          entry.stream.write(`data: ${JSON.stringify({ id: callId, name, args })}\n\n`)
          return outcome
        },
        async close() {
          entry.stream?.end()
          tabs.delete(id)
        },
      }
    },

    close() {
      for (const entry of tabs.values()) {
        entry.stream?.end()
        gone(entry)
      }
      tabs.clear()
    },
  }
}

const STARTUP_MS = 60_000

/** A browser launched with no automation, its pages linked to the test. */
export interface LinkedBrowser extends Pick<Browser, 'engine' | 'kill' | 'close'> {
  /** A tab on `path` (the first call gets the tab opened at launch; later ones are opened by the first). */
  open(onEvent?: (event: unknown) => void): Promise<Tab>
}

/**
 * Launches `engine` with no automation on `profile`, its first tab on `${origin}${path}`, its
 * pages linked over `link`. A normal quit closes every tab, as a user would.
 */
export async function launchLinked(
  engine: Engine,
  profile: string,
  origin: string,
  link: Link,
  path = '/',
): Promise<LinkedBrowser> {
  const url = (tab: string) => `${path}?tab=${tab}`
  const firstTab = randomUUID()
  const browser = await launch(engine, profile, { automation: false, url: `${origin}${url(firstTab)}` })
  const died = browser.exited.then(() => Promise.reject(new Error(`${engine} exited before its page linked`)))
  died.catch(() => {})
  const attach = (tab: string, onEvent?: (event: unknown) => void) =>
    within(Promise.race([link.attach(tab, onEvent), died]), STARTUP_MS, `${engine} page to link`)
  let first: Promise<Tab> | undefined
  const tabs: Tab[] = []
  const opened = (tab: Tab) => {
    tabs.push(tab)
    return tab
  }

  return {
    engine,
    async open(onEvent) {
      if (!first) {
        first = attach(firstTab, onEvent).then(opened)
        return first
      }
      const tab = randomUUID()
      const asked = await (await first).run('link: open', [url(tab)])
      if (!asked.ok) throw new Error(`${engine} did not open another page: ${asked.error.message}`)
      return opened(await attach(tab, onEvent))
    },
    kill: browser.kill,
    async close() {
      await Promise.allSettled(tabs.map((tab) => tab.run('link: close', [])))
      await browser.close()
    },
  }
}
