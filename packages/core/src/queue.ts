type Op<T> = () => Promise<T>

interface Task {
  /**
   * A save that has not started carries a tag (a save's kind, such as its durability): a later
   * save that names the tag among those it may supersede replaces its op. Undefined for any other
   * operation, and for a save once it runs.
   */
  tag: string | undefined
  op: Op<unknown>
  /** Lets the task run: its op is called then, so a superseding op replaces it until the last moment. */
  start(): void
  /** The outcome of whichever op ran; every caller of a superseded task gets this one. */
  result: Promise<unknown>
}

/**
 * One FIFO per key. Tasks for one key run one at a time, in call order; keys do not wait for
 * each other. A save that has not started is superseded by a later save to the same key when
 * nothing else was queued between them and the later save may supersede its tag: only the later
 * op runs, and both callers settle with its outcome. `createStore` queues every call in one; a
 * driver may keep its own work on each file in order with another.
 */
export function createQueue() {
  const queues = new Map<string, Task[]>()

  function push<T>(key: string, tag: string | undefined, op: Op<T>, supersedes: readonly string[]): Promise<T> {
    let queue = queues.get(key)
    const last = queue?.at(-1)
    if (last?.tag !== undefined && supersedes.includes(last.tag)) {
      // The waiting save now does what the later one asked for, its tag included.
      last.op = op
      last.tag = tag
      return last.result as Promise<T>
    }
    let start!: () => void
    const result = new Promise<void>((go) => (start = go)).then(() => task.op())
    const task: Task = { tag, op, start, result }
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
    if (queue[0]!.tag !== undefined) await new Promise((turn) => setTimeout(turn))
    for (let task = queue[0]; task; task = queue[0]) {
      task.tag = undefined
      task.start()
      await task.result.catch(() => undefined)
      queue.shift()
    }
    queues.delete(key)
  }

  return {
    /**
     * Queue a save tagged `tag`, which a later save may supersede while it waits. It supersedes
     * the save waiting before it only when that save's tag is among `supersedes` (by default its
     * own tag): a save must never settle another caller with a weaker write than they asked for,
     * and a save that may yet be cancelled supersedes nothing, so as not to take another caller's
     * bytes with it.
     */
    save: <T>(key: string, op: Op<T>, tag = 'save', supersedes: readonly string[] = [tag]) =>
      push(key, tag, op, supersedes),
    /** Queue any other operation. */
    run: <T>(key: string, op: Op<T>) => push(key, undefined, op, []),
    /** Resolves once every task queued so far has settled, whatever its outcome. */
    idle: (): Promise<unknown> => Promise.allSettled([...queues.values()].map((queue) => queue.at(-1)!.result)),
  }
}
