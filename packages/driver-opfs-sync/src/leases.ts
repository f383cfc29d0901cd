/**
 * A lease is an open sync access handle together with the Web Lock that makes it ours across
 * tabs and workers. Opening one costs ~2 ms and a save on an open one ~0.35 ms, so a lease stays
 * open while its file is busy and is given back when:
 * - the file has been idle for `idleMs`;
 * - another Stowage context asks for the file (it says so on a BroadcastChannel before waiting),
 *   once the lease has been held for `minHoldMs`;
 * - it has been held for `checkAfterMs` and the Web Locks manager shows someone else waiting
 *   (a context that does not speak our channel).
 */
export interface Lease<S> {
  readonly file: string
  readonly access: FileSystemSyncAccessHandle
  /** What the holder learned of the file while holding it; forgotten with the lease. */
  state: S | undefined
}

export interface LeaseOptions {
  lockName(file: string): string
  open(file: string, create: boolean): Promise<{ handle: FileSystemFileHandle; access: FileSystemSyncAccessHandle }>
  idleMs: number
  /** How long a lease is kept, when another context asks for it, before it is handed over. */
  minHoldMs: number
  checkAfterMs: number
}

interface Held<S> extends Lease<S> {
  handle: FileSystemFileHandle
  acquiredAt: number
  idleTimer?: ReturnType<typeof setTimeout>
  unlock(): void
}

const WANTED = 'stowage:lock-wanted'

export function createLeases<S>(options: LeaseOptions) {
  const held = new Map<string, Held<S>>()
  const tails = new Map<string, Promise<unknown>>()
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(WANTED) : undefined
  channel?.addEventListener('message', (event: MessageEvent<string>) => {
    for (const lease of held.values()) {
      if (options.lockName(lease.file) !== event.data) continue
      // Yield, but not before this lease has done some work: a handover costs a close and an open.
      const wait = Math.max(0, lease.acquiredAt + options.minHoldMs - performance.now())
      setTimeout(() => void giveBack(lease.file), wait)
    }
  })

  /** Runs `op` alone on `file` in this context: operations on one file never interleave. */
  function serial<T>(file: string, op: () => Promise<T>): Promise<T> {
    const run = (tails.get(file) ?? Promise.resolve()).then(op, op)
    const tail = run.catch(() => undefined)
    tails.set(file, tail)
    void tail.then(() => tails.get(file) === tail && tails.delete(file))
    return run
  }

  /** The lease on `file`, opening it (and taking the lock) if this context does not hold one. */
  function acquire(file: string, create: boolean): Promise<Lease<S>> {
    const existing = held.get(file)
    if (existing) {
      clearTimeout(existing.idleTimer)
      return Promise.resolve(existing)
    }
    const name = options.lockName(file)
    return new Promise<Lease<S>>((resolve, reject) => {
      navigator.locks
        .request(name, { ifAvailable: true }, (lock) => (lock ? hold(file, create, resolve, reject) : false))
        .then((held) => {
          if (held) return
          channel?.postMessage(name)
          return navigator.locks.request(name, () => hold(file, create, resolve, reject))
        })
        .catch(reject)
    })
  }

  /** Inside the lock callback: opens the handle and keeps the lock until the lease is given back. */
  async function hold(file: string, create: boolean, resolve: (lease: Lease<S>) => void, reject: (error: unknown) => void): Promise<true> {
    let opened: Awaited<ReturnType<LeaseOptions['open']>>
    try {
      opened = await options.open(file, create)
    } catch (error) {
      reject(error)
      return true
    }
    await new Promise<void>((unlock) => {
      const lease: Held<S> = { file, ...opened, state: undefined, acquiredAt: performance.now(), unlock }
      held.set(file, lease)
      resolve(lease)
    })
    return true
  }

  /** Called after each operation: arms the idle timer, and yields to waiters after a long hold. */
  function done(file: string): void {
    const lease = held.get(file)
    if (!lease) return
    lease.idleTimer = setTimeout(() => void giveBack(file), options.idleMs)
    if (performance.now() - lease.acquiredAt < options.checkAfterMs) return
    lease.acquiredAt = performance.now()
    void navigator.locks.query().then(({ pending = [] }) => {
      if (pending.some((request) => request.name === options.lockName(file))) void giveBack(file)
    })
  }

  /** Closes the handle and releases the lock now: only from inside an operation on `file`. */
  async function release(file: string): Promise<void> {
    const lease = held.get(file)
    if (!lease) return
    held.delete(file)
    clearTimeout(lease.idleTimer)
    try {
      await lease.access.close()
    } finally {
      lease.unlock()
    }
  }

  /** Releases the lease after any operation already running on the file. */
  const giveBack = (file: string) => serial(file, () => release(file))

  /** Gives back every lease and stops listening. */
  async function closeAll(): Promise<void> {
    await Promise.allSettled([...held.keys()].map(giveBack))
    channel?.close()
  }

  return { serial, acquire, done, release, closeAll }
}
