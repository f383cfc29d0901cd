import { createQueue } from '@stowage/core/driver'
import { withLock } from '@stowage/core/opfs'

/**
 * A lease is an open sync access handle together with the Web Lock that makes it ours across
 * tabs and workers. Opening one costs ~2 ms and a save on an open one ~0.35 ms, so a lease stays
 * open while its file is busy and is given back when:
 * - the file has been idle for `idleMs`, or at once while another context wants the file too (it
 *   asked within SHARED_MS): two tabs saving by turns then find the lock free;
 * - another Stowage context asks for the file (it says so on a BroadcastChannel each time it asks
 *   for the lock): at once if the file is idle here, else once the lease has been held for
 *   MIN_HOLD_MS;
 * - the Web Locks manager shows someone else waiting for it (a context that does not speak our
 *   channel), which held leases look for every CHECK_EVERY_MS.
 */
export interface Lease<S> {
  readonly file: string
  readonly access: FileSystemSyncAccessHandle
  /** What the holder learned of the file while holding it; forgotten with the lease. */
  state: S | undefined
  /** Bytes written and not yet flushed (a relaxed save): flushed before the lease is given back. */
  unflushed?: boolean
}

/** How long a lease in use is kept, when another context asks for it, before it is handed over. */
const MIN_HOLD_MS = 10
/** How long after another context asked for a file its lease is given back as soon as it is idle. */
const SHARED_MS = 1000
/** How often held leases look for waiters that do not speak our channel. */
const CHECK_EVERY_MS = 250

interface Held<S> extends Lease<S> {
  acquiredAt: number
  /** Armed while no operation on the file runs or waits here: the lease is only kept warm. */
  idleTimer?: ReturnType<typeof setTimeout>
  unlock(): void
}

/** The leases of one driver: `lockName` names a file's Web Lock, `open` opens its sync access handle. */
export function createLeases<S>(
  lockName: (file: string) => string,
  idleMs: number,
  open: (file: string, create: boolean) => Promise<FileSystemSyncAccessHandle>,
) {
  const held = new Map<string, Held<S>>()
  // Orders every operation on a file with the lease's own timers (idle release, hand-over), which
  // fire outside any call and must not close a handle mid-write. It also keeps the driver safe for
  // callers without createStore's queue in front: overlapping saves on one lease would share a slot.
  const { run: serial } = createQueue()
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('stowage:lock-wanted') : undefined
  /** When another context last asked for each lock, by name. */
  const wanted = new Map<string, number>()
  channel?.addEventListener('message', ({ data }: MessageEvent<string>) => {
    const now = performance.now()
    // Only the last SHARED_MS matter: older entries go, or one would stay for every name ever asked for.
    for (const [name, at] of wanted) if (now - at >= SHARED_MS) wanted.delete(name)
    wanted.set(data, now)
    for (const { file, acquiredAt, idleTimer } of held.values()) {
      if (lockName(file) !== data) continue
      // An idle lease costs nothing to give back; a busy one does some work first, or two contexts
      // saving at once would pay a close and an open for every save.
      const wait = idleTimer === undefined ? acquiredAt + MIN_HOLD_MS - performance.now() : 0
      setTimeout(() => giveBack(file), wait)
    }
  })

  /** Gives back every lease someone else waits for, while any is held. */
  let watching: ReturnType<typeof setInterval> | undefined
  function watchForWaiters(): void {
    watching ??= setInterval(async () => {
      if (!held.size) {
        clearInterval(watching)
        watching = undefined
        return
      }
      const { pending = [] } = await navigator.locks.query()
      for (const file of held.keys()) {
        if (pending.some((request) => request.name === lockName(file))) void giveBack(file)
      }
    }, CHECK_EVERY_MS)
  }

  /**
   * The lease on `file`, opening it (and taking the lock) if this context does not hold one. The
   * wait for the lock ends when `signal` aborts.
   */
  async function acquire(file: string, create: boolean, signal?: AbortSignal): Promise<Held<S>> {
    const existing = held.get(file)
    if (existing) {
      clearTimeout(existing.idleTimer)
      existing.idleTimer = undefined
      return existing
    }
    const name = lockName(file)
    // Another Stowage context that holds the lock hands it over when it hears this.
    channel?.postMessage(name)
    return new Promise((resolve, reject) => {
      // Inside the lock: opens the handle and keeps the lock until the lease is given back.
      withLock(name, { signal }, async () => {
        try {
          const access = await open(file, create)
          await new Promise<void>((unlock) => {
            const lease: Held<S> = { file, access, state: undefined, acquiredAt: performance.now(), unlock }
            held.set(file, lease)
            watchForWaiters()
            resolve(lease)
          })
        } catch (error) {
          reject(error)
        }
      }).catch(reject)
    })
  }

  /** Closes the handle and releases the lock now: only from inside an operation on `file`. */
  async function release(file: string): Promise<void> {
    const lease = held.get(file)
    if (!lease) return
    held.delete(file)
    clearTimeout(lease.idleTimer)
    try {
      // Whoever takes the file next knows nothing of what we left unflushed, and writes as if it were down.
      if (lease.unflushed) await lease.access.flush()
      await lease.access.close()
    } finally {
      lease.unlock()
    }
  }

  /** Releases the lease after any operation already running on the file. */
  const giveBack = (file: string) => serial(file, () => release(file))

  return {
    serial,
    release,
    giveBack,

    /**
     * Runs `op` alone on the file's lease; `signal` ends a wait for the lock. Afterwards the idle
     * timer is armed; a failure gives the lease back so nothing stays half-open.
     */
    use: <T>(file: string, create: boolean, op: (lease: Lease<S>) => Promise<T>, signal?: AbortSignal): Promise<T> =>
      serial(file, async () => {
        const lease = await acquire(file, create, signal)
        try {
          const result = await op(lease)
          const shared = performance.now() - (wanted.get(lockName(file)) ?? Number.NEGATIVE_INFINITY) < SHARED_MS
          lease.idleTimer = setTimeout(() => giveBack(file), shared ? 0 : idleMs)
          return result
        } catch (error) {
          await release(file).catch(() => undefined)
          throw error
        }
      }),

    /** Gives back every lease and stops listening. */
    async closeAll(): Promise<void> {
      await Promise.allSettled([...held.keys()].map(giveBack))
      clearInterval(watching)
      watching = undefined
      channel?.close()
    },
  }
}
