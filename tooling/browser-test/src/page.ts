import type { RunReply, RunRequest } from './protocol.js'

export interface CaseHost {
  /** Runs the named test function in the worker; rejects with its error, or when the worker dies or stalls. */
  run(name: string, timeoutMs?: number): Promise<unknown>
  /** The same, passing arguments (structured-cloneable) to the function. */
  call(name: string, args: unknown[], timeoutMs?: number): Promise<unknown>
  terminate(): void
}

/** On the page: drives a worker that called `serveCases`. Runner-agnostic. */
export function hostCases(worker: Worker): CaseHost {
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  let nextId = 1
  let broken: Error | undefined

  function failAll(error: Error): void {
    broken = error
    for (const { reject } of pending.values()) reject(error)
    pending.clear()
  }

  worker.addEventListener('message', (event: MessageEvent<RunReply>) => {
    const reply = event.data
    if (reply?.stowageTest !== 'result') return
    const waiter = pending.get(reply.id)
    if (!waiter) return
    pending.delete(reply.id)
    if (reply.ok) waiter.resolve(reply.value)
    else
      waiter.reject(
        Object.assign(new Error(`${reply.error?.name}: ${reply.error?.message}`), { stack: reply.error?.stack }),
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
