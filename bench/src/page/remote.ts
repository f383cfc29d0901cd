import { errorName, type Measured, type Ops } from './measure.js'

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

/** A save or load that the page times and the worker runs: bytes cross by transfer, both ways. */
type OpCall =
  | { id: number; op: 'save'; file: string; bytes: Uint8Array<ArrayBuffer> }
  | { id: number; op: 'load'; file: string }

/** In the worker: runs each op and answers with its result, a loaded buffer transferred back. */
export function serveOps(ops: Ops): void {
  self.addEventListener('message', (event: MessageEvent<OpCall>) => {
    const call = event.data
    const done = call.op === 'save' ? ops.save(call.file, call.bytes) : ops.load(call.file)
    done.then(
      (value) => {
        const transfer = value instanceof Uint8Array ? [value.buffer as ArrayBuffer] : []
        self.postMessage({ id: call.id, ok: true, value: call.op === 'load' ? value : undefined } satisfies Answer, {
          transfer,
        })
      },
      (error: unknown) => self.postMessage({ id: call.id, ok: false, error: String(error) } satisfies Answer),
    )
  })
}

/** On the page: the worker's ops, the bytes of each save handed over without a copy. */
export function remoteOps(worker: Worker): Ops {
  const call = answering(worker)
  return {
    save: (file, bytes) =>
      call((id) => worker.postMessage({ id, op: 'save', file, bytes } satisfies OpCall, [bytes.buffer])),
    load: (file) => call((id) => worker.postMessage({ id, op: 'load', file } satisfies OpCall)),
  }
}

/** Matches a worker's answers to the calls that `post` sends, by id; a failed worker fails them all. */
function answering(worker: Worker): (post: (id: number) => void) => Promise<unknown> {
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
  return (post) =>
    new Promise((resolve, reject) => {
      const id = nextId++
      pending.set(id, { resolve, reject })
      post(id)
    })
}

/** On the page: the worker's Measured, as if it were local. */
export function remoteMeasured(worker: Worker): Measured {
  const answer = answering(worker)
  const call =
    (method: keyof Measured) =>
    (...args: number[]) =>
      answer((id) => worker.postMessage({ id, method, args } satisfies Call))
  return {
    save: call('save'),
    load: call('load'),
    burst: call('burst'),
    prepareSeries: call('prepareSeries'),
    runSeries: call('runSeries'),
    checkSeries: call('checkSeries'),
  } as Measured
}
