import { errorName, type Measured } from './measure.js'

/** A call of one Measured method across postMessage, for contenders whose clock runs in a worker. */
interface Call {
  id: number
  method: keyof Measured
  args: number[]
}

type Answer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string }

/** In the worker: answers each call with the method's result, or the error's name and message. */
export function serveMeasured(target: Measured): void {
  self.addEventListener('message', (event: MessageEvent<Call>) => {
    const { id, method, args } = event.data
    const run = target[method] as (...args: number[]) => Promise<unknown>
    run(...args).then(
      (value) => self.postMessage({ id, ok: true, value } satisfies Answer),
      (error: unknown) =>
        self.postMessage({
          id,
          ok: false,
          error: `${errorName(error)}: ${(error as Error)?.message ?? error}`,
        } satisfies Answer),
    )
  })
}

/** On the page: the worker's Measured, as if it were local. */
export function remoteMeasured(worker: Worker): Measured {
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  let nextId = 1
  worker.addEventListener('message', (event: MessageEvent<Answer>) => {
    const answer = event.data
    const waiter = pending.get(answer.id)
    pending.delete(answer.id)
    if (answer.ok) waiter?.resolve(answer.value)
    else waiter?.reject(new Error(answer.error))
  })
  worker.addEventListener('error', (event) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`the worker failed: ${event.message}`))
    pending.clear()
  })
  const call =
    (method: keyof Measured) =>
    (...args: number[]) =>
      new Promise((resolve, reject) => {
        const id = nextId++
        pending.set(id, { resolve, reject })
        worker.postMessage({ id, method, args } satisfies Call)
      })
  return {
    save: call('save'),
    load: call('load'),
    burst: call('burst'),
    prepareSeries: call('prepareSeries'),
    runSeries: call('runSeries'),
    checkSeries: call('checkSeries'),
  } as Measured
}
