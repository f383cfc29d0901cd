import { type CaseEvent, type CaseOutcome, outcomeOf, type RunReply, type RunRequest, unknownCase } from './protocol.js'

export interface CaseHost {
  /** Runs the named test function in the worker; rejects with its error, or when the worker dies or stalls. */
  run(name: string, timeoutMs?: number): Promise<unknown>
  /** The same, passing arguments (structured-cloneable) to the function. */
  call(name: string, args: unknown[], timeoutMs?: number): Promise<unknown>
  terminate(): void
}

/** On the page: drives a worker that called `serveCases`, and hears what it `emit`s. Runner-agnostic. */
export function hostCases(worker: Worker, onEvent?: (event: unknown) => void): CaseHost {
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  let nextId = 1
  let broken: Error | undefined

  function failAll(error: Error): void {
    broken = error
    for (const { reject } of pending.values()) reject(error)
    pending.clear()
  }

  worker.addEventListener('message', (event: MessageEvent<RunReply | CaseEvent>) => {
    const reply = event.data
    if (reply?.stowageTest === 'event') onEvent?.(reply.event)
    if (reply?.stowageTest !== 'result') return
    const waiter = pending.get(reply.id)
    if (!waiter) return
    pending.delete(reply.id)
    if (reply.ok) waiter.resolve(reply.value)
    else
      waiter.reject(
        Object.assign(new Error(`${reply.error.name}: ${reply.error.message}`), { stack: reply.error.stack }),
      )
  })
  worker.addEventListener('error', (event) =>
    failAll(new Error(`Test worker failed: ${event.message || 'it could not start'}`)),
  )

  return {
    run(name, timeoutMs) {
      return this.call(name, [], timeoutMs)
    },
    call(name, args, timeoutMs = 120_000) {
      if (broken) return Promise.reject(broken)
      const id = nextId++
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id)
          reject(new Error(`${name}: no answer from the worker within ${timeoutMs} ms`))
        }, timeoutMs)
        const done =
          <T>(settle: (value: T) => void) =>
          (value: T) => {
            clearTimeout(timer)
            settle(value)
          }
        pending.set(id, { resolve: done(resolve), reject: done(reject) })
        worker.postMessage({ stowageTest: 'run', id, name, args } satisfies RunRequest)
      })
    },
    terminate() {
      worker.terminate()
      failAll(new Error('Test worker terminated'))
    },
  }
}

type Body = (...args: never[]) => unknown

declare global {
  /** What launchers call on a served test page; set by `exposeCases`. */
  var stowageCases: { run(name: string, args: unknown[]): Promise<CaseOutcome> } | undefined
  /** Set on a linked page: carries an event to the test; resolves once the test has it. */
  var stowageReport: ((event: unknown) => Promise<unknown>) | undefined
}

/**
 * On a served test page: makes `cases` callable by name from any automation, or over the link
 * when the page was opened at `/?tab=<id>` with none (see link.ts). A case resolves to a plain
 * outcome, never rejects, so every channel carries its error the same way.
 */
export function exposeCases(cases: Record<string, Body>): void {
  const plain = (value: unknown) => (value === undefined ? null : JSON.parse(JSON.stringify(value)))
  const body = (name: string) => cases[name] as ((...args: unknown[]) => unknown) | undefined
  globalThis.stowageCases = {
    run: async (name, args) => {
      const found = body(name)
      return found ? outcomeOf(() => found(...args), plain) : unknownCase(name)
    },
  }
  const tab = new URLSearchParams(location.search).get('tab')
  if (tab) link(tab, cases)
}

/** The page's end of the link: requests come down a Server-Sent Events stream, replies and events go back as POSTs. */
function link(tab: string, cases: Record<string, Body>): void {
  const post = (path: string, body: unknown) =>
    fetch(`/link/${path}?tab=${encodeURIComponent(tab)}`, { method: 'POST', body: JSON.stringify(body) })
  globalThis.stowageReport = (event) => post('event', event)
  // A window, also where a package type-checks its tests against the worker's lib only.
  const page = globalThis as unknown as { open(url: string): unknown; close(): void }
  // What a linked browser needs of its pages: later tabs opened by the first, and a quit by closing each.
  cases['link: open'] ??= (url: string) => {
    if (!page.open(url)) throw new Error(`The browser blocked opening ${url}`)
  }
  // After the reply is on its way: closing the last tab quits the browser, as a user would.
  cases['link: close'] ??= () => void setTimeout(() => page.close(), 50)
  new EventSource(`/link/requests?tab=${encodeURIComponent(tab)}`).addEventListener('message', async ({ data }) => {
    const { id, name, args } = JSON.parse(data) as { id: number; name: string; args: unknown[] }
    await post('reply', { id, ...(await globalThis.stowageCases!.run(name, args)) })
  })
}

/**
 * Page cases named `${prefix}${name}` that run `name` in the worker from `start` (started on first
 * use, one for all of them), as `serveCases` serves it there; each must answer within `timeoutMs`.
 */
export function workerCases(
  prefix: string,
  start: () => Worker,
  names: string[],
  timeoutMs?: number,
): Record<string, Body> {
  let host: CaseHost | undefined
  const get = () => (host ??= hostCases(start()))
  return Object.fromEntries(
    names.map((name) => [`${prefix}${name}`, (...args: unknown[]) => get().call(name, args, timeoutMs)]),
  )
}
