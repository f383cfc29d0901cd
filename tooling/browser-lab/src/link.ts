import type { IncomingMessage, ServerResponse } from 'node:http'
import type { LabPage } from './browser.js'
import type { LabEvent, LabRequest } from './protocol.js'

/**
 * The lab page's own channel to the test, for a browser started with no automation at all (the
 * fastest launch there is): requests go down a Server-Sent Events stream, replies and events come
 * back as POSTs. A page opened at `/?tab=<id>` links itself (see lab.page.ts).
 */
export interface Link {
  /** Serves the channel's requests; false for any other path. */
  route(request: IncomingMessage, response: ServerResponse): boolean
  /** The lab page of tab `tab`, once it has connected, with its events bound to `onEvent`. */
  attach(tab: string, onEvent?: (event: LabEvent) => void): Promise<LabPage>
  /** Ends every stream, so that the server can close. */
  close(): void
}

interface Tab {
  stream?: ServerResponse
  connected: Promise<void>
  onConnect(): void
  onEvent?: (event: LabEvent) => void
  pending: Map<number, { resolve(value: unknown): void; reject(error: Error): void }>
}

export function createLink(): Link {
  const tabs = new Map<string, Tab>()
  let nextId = 1

  function tab(id: string): Tab {
    let found = tabs.get(id)
    if (!found) {
      let onConnect!: () => void
      const connected = new Promise<void>((resolve) => (onConnect = resolve))
      found = { connected, onConnect, pending: new Map() }
      tabs.set(id, found)
    }
    return found
  }

  function gone(entry: Tab): void {
    const error = new Error('The lab page went away (its browser was killed or closed)')
    for (const { reject } of entry.pending.values()) reject(error)
    entry.pending.clear()
  }

  return {
    route(request, response) {
      const url = new URL(request.url ?? '/', 'http://x')
      const id = url.searchParams.get('tab')
      if (!url.pathname.startsWith('/lab/') || !id) return false
      const entry = tab(id)
      if (url.pathname === '/lab/requests') {
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
        const message = JSON.parse(body) as { id: number; ok: boolean; value?: unknown; error?: string } | LabEvent
        if ('event' in message) entry.onEvent?.(message)
        else {
          const waiter = entry.pending.get(message.id)
          entry.pending.delete(message.id)
          if (message.ok) waiter?.resolve(message.value)
          else waiter?.reject(new Error(message.error))
        }
        // For `started`, the page's save waits on this answer: the event is recorded by now.
        response.writeHead(204).end()
      })
      return true
    },

    async attach(id, onEvent) {
      const entry = tab(id)
      entry.onEvent = onEvent
      await entry.connected
      return {
        call(request: LabRequest) {
          if (!entry.stream) return Promise.reject(new Error('The lab page is not connected'))
          const callId = nextId++
          const reply = new Promise((resolve, reject) => entry.pending.set(callId, { resolve, reject }))
          entry.stream.write(`data: ${JSON.stringify({ id: callId, request })}\n\n`)
          return reply as never
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
