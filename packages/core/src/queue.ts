type Op<T> = () => Promise<T>

interface Task {
  kind: 'save' | 'other'
  op: Op<unknown>
  waiters: { resolve(value: unknown): void; reject(error: unknown): void }[]
}

/**
 * One FIFO per key. Tasks for one key run one at a time, in call order; keys do not wait for
 * each other. A save still waiting behind another task is superseded by a later save to the same
 * key when nothing else was queued between them: only the later op runs, and both callers settle
 * with its outcome. `createStore` queues every call in one; a driver may keep its own work on
 * each file in order with another.
 */
export function createQueue() {
  const queues = new Map<string, Task[]>()

  function push<T>(key: string, kind: Task['kind'], op: Op<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter = { resolve: resolve as (value: unknown) => void, reject }
      const queue = queues.get(key)
      if (!queue) {
        const fresh: Task[] = [{ kind, op, waiters: [waiter] }]
        queues.set(key, fresh)
        void drain(key, fresh)
        return
      }
      // queue[0] is already running; only a task behind it can still be superseded.
      const last = queue[queue.length - 1]!
      if (kind === 'save' && last.kind === 'save' && queue.length > 1) {
        last.op = op
        last.waiters.push(waiter)
      } else {
        queue.push({ kind, op, waiters: [waiter] })
      }
    })
  }

  async function drain(key: string, queue: Task[]): Promise<void> {
    for (let task = queue[0]; task; task = queue[0]) {
      try {
        const value = await task.op()
        for (const waiter of task.waiters) waiter.resolve(value)
      } catch (error) {
        for (const waiter of task.waiters) waiter.reject(error)
      }
      queue.shift()
    }
    queues.delete(key)
  }

  /** Resolves once every task queued so far has settled, whatever its outcome. */
  function idle(): Promise<void> {
    const tails = [...queues.values()].map(
      (queue) => new Promise<void>((settle) => queue[queue.length - 1]!.waiters.push({ resolve: settle, reject: settle })),
    )
    return Promise.all(tails).then(() => undefined)
  }

  return {
    /** Queue a save, which a later save may supersede while it waits. */
    save: <T>(key: string, op: Op<T>) => push(key, 'save', op),
    /** Queue any other operation. */
    run: <T>(key: string, op: Op<T>) => push(key, 'other', op),
    idle,
  }
}
