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
      if (broken) return Promise.reject(broken)
      const id = nextId++
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        send({ id, request })
      })
    },
  }
}

globalThis.lab = startLab()
