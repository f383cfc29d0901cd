import type { LabEvent, LabRequest, PageMessage, WorkerMessage } from './protocol.js'

/** What the lab page offers whoever drives the browser (`page.evaluate(r => lab.call(r), r)`). */
export interface LabApi {
  call(request: LabRequest): Promise<unknown>
}

declare global {
  var lab: LabApi
  /**
   * Set by the automation before the page loads (a Playwright binding, a Puppeteer exposed
   * function...). The worker's save waits until the promise it returns for `started` settles.
   */
  var stowageLabReport: ((event: LabEvent) => unknown) | undefined
}

/** On the lab page: starts the dedicated worker and relays requests to it and its events out. */
function startLab(): LabApi {
  const worker = new Worker('./worker.js', { type: 'module' })
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  let nextId = 1
  let broken: Error | undefined

  const send = (message: PageMessage) => worker.postMessage(message)

  worker.addEventListener('message', async ({ data }: MessageEvent<WorkerMessage>) => {
    if ('event' in data) {
      const reported = globalThis.stowageLabReport?.(data)
      if (data.event === 'started') {
        await reported
        send({ go: data.seq })
      }
      return
    }
    const waiter = pending.get(data.id)
    pending.delete(data.id)
    if (data.ok) waiter?.resolve(data.value)
    else waiter?.reject(new Error(data.error))
  })
  worker.addEventListener('error', (event) => {
    broken = new Error(`The lab worker failed: ${event.message || 'it could not start'}`)
    for (const { reject } of pending.values()) reject(broken)
    pending.clear()
  })

  return {
    call(request) {
      if (request.op === 'open') return open(request.url)
      if (request.op === 'close') {
        // After the reply is on its way: closing the last tab quits the browser, as a user would.
        setTimeout(() => window.close(), 50)
        return Promise.resolve(null)
      }
      if (broken) return Promise.reject(broken)
      const id = nextId++
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        send({ id, request })
      })
    },
  }
}

async function open(url: string): Promise<null> {
  if (!window.open(url)) throw new Error(`The browser blocked opening ${url}`)
  return null
}

/**
 * A page opened at `/?tab=<id>` takes its requests from the test over the lab server's channel
 * (link.ts) and reports its events there: no browser automation needed.
 */
function linkTab(tab: string, lab: LabApi): void {
  const post = (path: string, body: unknown) =>
    fetch(`/lab/${path}?tab=${encodeURIComponent(tab)}`, { method: 'POST', body: JSON.stringify(body) })
  globalThis.stowageLabReport = (event) => post('event', event)
  new EventSource(`/lab/requests?tab=${encodeURIComponent(tab)}`).addEventListener(
    'message',
    async ({ data }: MessageEvent<string>) => {
      const { id, request } = JSON.parse(data) as { id: number; request: LabRequest }
      try {
        await post('reply', { id, ok: true, value: await lab.call(request) })
      } catch (error) {
        await post('reply', { id, ok: false, error: String(error) })
      }
    },
  )
}

globalThis.lab = startLab()
const tab = new URLSearchParams(location.search).get('tab')
if (tab) linkTab(tab, globalThis.lab)
