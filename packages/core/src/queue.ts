type Op<T> = () => Promise<T>

interface Task {
  /** A save that has not started: a later save may supersede it. */
  save: boolean
  op: Op<unknown>
  /** Lets the task run: its op is called then, so a superseding op replaces it until the last moment. */
  start(): void
  /** The outcome of whichever op ran; every caller of a superseded task gets this one. */
  result: Promise<unknown>
}

/**
 * One FIFO per key. Tasks for one key run one at a time, in call order; keys do not wait for
 * each other. A save that has not started is superseded by a later save to the same key when
 * nothing else was queued between them: only the later op runs, and both callers settle with its
 * outcome. `createStore` queues every call in one; a driver may keep its own work on each file
 * in order with another.
 */
export function createQueue() {
  const queues = new Map<string, Task[]>()

  function push<T>(key: string, save: boolean, op: Op<T>, supersede = save): Promise<T> {
    let queue = queues.get(key)
    const last = queue?.at(-1)
    if (supersede && last?.save) {
      last.op = op
      return last.result as Promise<T>
    }
    let start!: () => void
    const result = new Promise<void>((go) => (start = go)).then(() => task.op())
    const task: Task = { save, op, start, result }
    if (queue) queue.push(task)
    else {
      queue = [task]
      queues.set(key, queue)
      void drain(key, queue)
    }
    return task.result as Promise<T>
  }

  async function drain(key: string, queue: Task[]): Promise<void> {
    // A save that finds the key idle waits one turn of the event loop, so that the saves of tasks
    // already queued (a burst of messages to a worker) supersede it instead of each writing.
    if (queue[0]!.save) await new Promise((turn) => setTimeout(turn))
    for (let task = queue[0]; task; task = queue[0]) {
      task.save = false
      task.start()
      await task.result.catch(() => undefined)
      queue.shift()
    }
    queues.delete(key)
  }

  return {
    /**
     * Queue a save, which a later save may supersede while it waits. With `supersede` false it
     * does not itself supersede the save waiting before it: a save that may yet be cancelled must
     * not take another caller's bytes with it.
     */
    save: <T>(key: string, op: Op<T>, supersede = true) => push(key, true, op, supersede),
    /** Queue any other operation. */
    run: <T>(key: string, op: Op<T>) => push(key, false, op),
    /** Resolves once every task queued so far has settled, whatever its outcome. */
    idle: (): Promise<unknown> => Promise.allSettled([...queues.values()].map((queue) => queue.at(-1)!.result)),
  }
}
