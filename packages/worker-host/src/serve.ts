import { createStore, StorageError, type Driver } from '@stowage/core'
import { toStorageError } from '@stowage/core/driver'
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
  const ready = probeDrivers(drivers, options.probeTimeoutMs).then(({ driver, probes }) => {
    const channel =
      driver && typeof BroadcastChannel === 'function'
        ? new BroadcastChannel(options.channel ?? `stowage:${driver.id}`)
        : undefined
    channel?.addEventListener('message', ({ data }: MessageEvent<Change>) =>
      scope.postMessage({ stowage: VERSION, change: data } satisfies ChangeMessage),
    )
    return {
      store: driver && createStore(announcing(driver, channel)),
      info: { driver: driver?.id ?? null, probes } satisfies Info,
    }
  })

  scope.addEventListener('message', ({ data }) => {
    if (!isMessage(data)) return
    const { id, op, file, data: bytes, life } = data as Request
    const reply = (answer: Omit<Reply, 'stowage' | 'id'>, transfer?: Transferable[]) =>
      scope.postMessage({ stowage: VERSION, id, ...answer } satisfies Reply, transfer)
    void (async () => {
      if (op === 'hello') return holdUntilDeath(life!)
      const { store, info } = await ready
      if (op === 'info') return info
      if (op === 'close') return store?.close()
      if (!store) {
        const reasons = info.probes.map((probe) => `${probe.id}: ${probe.reason}`).join('; ')
        throw new StorageError(
          'UNSUPPORTED',
          reasons ? `No storage driver works here: ${reasons}` : 'No storage driver was given to serve()',
        )
      }
      // load(file), save(file, data, options), remove(file) and list() each take what they need.
      return store[op](file!, bytes!, { transfer: true })
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
      probes.push({ id, ok: false, reason: toStorageError(error, { driver: id, probing: true }).message })
    } finally {
      clearTimeout(timer)
    }
  }
  return { probes }
}

/**
 * The driver, announcing on `channel` each save and remove that lands (once per write, after
 * coalescing), and closing the channel with it.
 */
function announcing(driver: Driver, channel?: BroadcastChannel): Omit<Driver, 'probe'> {
  const announce = (file: string, op: Change['op']) => channel?.postMessage({ file, op } satisfies Change)
  return {
    id: driver.id,
    load: (file) => driver.load(file),
    list: () => driver.list(),
    close: () => driver.close().finally(() => channel?.close()),
    save: (file, data) => driver.save(file, data).then(() => announce(file, 'save')),
    remove: (file) => driver.remove(file).then(() => announce(file, 'remove')),
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
