import { createStore, StorageError, type Driver, type Durability, type SaveOptions, type Store } from '@stowage/core'
import { adoptFiles, removingPending, toStorageError, type AdoptionReport } from '@stowage/core/driver'
import {
  isMessage,
  VERSION,
  type Change,
  type ChangeMessage,
  type Info,
  type ProbeResult,
  type Reply,
  type Request,
  type WireError,
} from './protocol.js'

export interface ServeOptions {
  /** The BroadcastChannel on which changes are announced to other tabs. Default `stowage:<driver id>`. */
  channel?: string
  /** How long one driver's probe may take before it counts as failed, in ms. Default 10 000. */
  probeTimeoutMs?: number
  /**
   * How long a call may wait for its file's lock before it rejects LOCKED, in ms: a tab that
   * holds it and never lets go (frozen, hung) would otherwise block the file forever. Adoption at
   * start waits as long for another tab's sweep and for each file's lock. Default 10 000, about a
   * 1 GiB save on a slow disk (see `LOCK_TIMEOUT_MS` in @stowage/core).
   */
  lockTimeoutMs?: number
  /**
   * How long a copy adopted at start must have stood before the other tier's copy is removed, in
   * ms; until then `info().pending` lists it, and a later start removes it. Default 60 000, so a
   * power cut cannot take both (see `SETTLE_MS` in @stowage/core/driver).
   */
  settleMs?: number
  /** The durability of a save whose caller named none. Default 'strict' (see `Durability` in @stowage/core). */
  durability?: Durability
}

interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  postMessage(message: unknown, transfer?: Transferable[]): void
}

/**
 * Inside a dedicated worker: probes `drivers` in order and serves every request from the first
 * that works. Changes are announced to other tabs and workers on a BroadcastChannel, and those
 * they make are relayed to this worker's page.
 */
export function serve(
  drivers: Driver[],
  options: ServeOptions = {},
  scope: WorkerScope = self as unknown as WorkerScope,
): void {
  const ready = probeDrivers(drivers, options.probeTimeoutMs).then(async ({ driver, probes }) => {
    // Before any request: files that another driver of the list holds are copied into this one.
    const adoption: AdoptionReport = driver
      ? await adoptFiles(driver, drivers, { lockTimeoutMs: options.lockTimeoutMs, settleMs: options.settleMs })
      : { adopted: [], superseded: [], pending: [], failed: [] }
    const channel =
      driver && typeof BroadcastChannel === 'function'
        ? new BroadcastChannel(options.channel ?? `stowage:${driver.id}`)
        : undefined
    channel?.addEventListener('message', ({ data }: MessageEvent<Change>) =>
      scope.postMessage({ stowage: VERSION, change: data } satisfies ChangeMessage),
    )
    // Each save and remove that lands (once per write, after coalescing) is news for other tabs.
    const store =
      driver &&
      createStore(removingPending(driver, adoption), {
        onWrite: (write) => channel?.postMessage(write satisfies Change),
        lockTimeoutMs: options.lockTimeoutMs,
        durability: options.durability,
      })
    const close = () => store?.close().finally(() => channel?.close())
    return {
      store,
      close,
      info: {
        driver: driver?.id ?? null,
        probes,
        flushes: !!driver && driver.flushes !== false,
        ...adoption,
      } satisfies Info,
    }
  })

  /** The calls still running, by request id, for the page to abort. */
  const running = new Map<number, AbortController>()

  scope.addEventListener('message', ({ data }) => {
    if (!isMessage(data)) return
    const { id, op, file, data: bytes, life, abortable, durability } = data as Request
    if (op === 'abort') return running.get(id)?.abort()
    const reply = (answer: Omit<Reply, 'stowage' | 'id'>, transfer?: Transferable[]) => {
      running.delete(id)
      scope.postMessage({ stowage: VERSION, id, ...answer } satisfies Reply, transfer)
    }
    // Only a call that may be aborted gets a signal: a save with one gives up coalescing.
    const controller = abortable ? new AbortController() : undefined
    if (controller) running.set(id, controller)
    void (async () => {
      if (op === 'hello') return holdUntilDeath(life!)
      const { store, close, info } = await ready
      if (op === 'info') return info
      if (op === 'close') return close()
      if (!store) {
        const reasons = info.probes.map((probe) => `${probe.id}: ${probe.reason}`).join('; ')
        throw new StorageError(
          'UNSUPPORTED',
          reasons ? `No storage driver works here: ${reasons}` : 'No storage driver was given to serve()',
        )
      }
      return call(store, op, file, bytes, { signal: controller?.signal, durability })
    })().then(
      (value) => reply({ value }, value instanceof Uint8Array ? [value.buffer] : []),
      (error: unknown) => reply({ error: toWire(error, file) }),
    )
  })
}

/**
 * Probes each driver in turn (each for at most `timeoutMs`) and returns the first that works,
 * with every probe's result. For hosts that speak a protocol of their own.
 */
export async function probeDrivers(
  drivers: Driver[],
  timeoutMs = 10_000,
): Promise<{ driver?: Driver; probes: ProbeResult[] }> {
  const probes: ProbeResult[] = []
  for (const driver of drivers) {
    const { id } = driver
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`probe took longer than ${timeoutMs} ms`)), timeoutMs)),
    )
    try {
      await Promise.race([driver.probe(), timeout])
      probes.push({ id, ok: true })
      return { driver, probes }
    } catch (error) {
      // A driver made with defineDriver says why in an UNSUPPORTED error; a timeout is an Error too.
      probes.push({ id, ok: false, reason: error instanceof Error ? error.message : String(error) })
    } finally {
      clearTimeout(timer)
    }
  }
  return { probes }
}

/**
 * The store's method that `op` names. The page checked the name and the data before posting;
 * the store checks them again because anyone may post to this worker, and what they send gets a
 * typed error. The bytes arrived in the message, so they are this worker's own: no copy.
 */
function call(
  store: Store,
  op: Request['op'],
  file: unknown,
  data: unknown,
  { signal, durability }: SaveOptions,
): Promise<unknown> {
  switch (op) {
    case 'load':
      return store.load(file as string, { signal })
    case 'save':
      return store.save(file as string, data as Uint8Array, { transfer: true, signal, durability })
    case 'remove':
      return store.remove(file as string, { signal })
    case 'list':
      return store.list({ signal })
    default:
      throw new TypeError(`serve() knows no operation ${JSON.stringify(op)}`)
  }
}

/** Holds the Web Lock `life` for as long as this worker lives; resolves once it is held, false without Web Locks. */
function holdUntilDeath(life: string): Promise<boolean> {
  return new Promise((held) => {
    if (!globalThis.navigator?.locks) return held(false)
    void navigator.locks.request(life, () => {
      held(true)
      return new Promise<never>(() => {})
    })
  })
}

function toWire(error: unknown, file: string | undefined): WireError {
  const { code, message, driver, cause, file: errorFile } = toStorageError(error, { file })
  const { name = 'Error', message: causeMessage = String(cause) } = (cause ?? {}) as Partial<Error>
  return {
    code,
    message,
    file: errorFile,
    driver,
    cause: cause === undefined ? undefined : { name, message: causeMessage },
  }
}
