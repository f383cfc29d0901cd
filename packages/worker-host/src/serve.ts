import { createStore, StorageError, toStorageError, type Driver, type Store } from '@stowage/core'
import { isMessage, VERSION, type Change, type Info, type ProbeResult, type Reply, type Request, type WireError } from './protocol.js'

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
export function serve(drivers: Driver[], options: ServeOptions = {}, scope: WorkerScope = self as unknown as WorkerScope): void {
  const ready = probeDrivers(drivers, options.probeTimeoutMs ?? 10_000).then(({ driver, probes }) => {
    const channel = driver && typeof BroadcastChannel === 'function' ? new BroadcastChannel(options.channel ?? `stowage:${driver.id}`) : undefined
    channel?.addEventListener('message', (event: MessageEvent<Change>) => scope.postMessage({ stowage: VERSION, change: event.data }))
    const store = driver ? createStore(announcing(driver, (change) => channel?.postMessage(change))) : undefined
    return { store, channel, info: { driver: driver?.id ?? null, probes } satisfies Info }
  })

  scope.addEventListener('message', (event) => {
    if (!isMessage(event.data)) return
    const request = event.data as Request
    void answer(request).then(
      ([value, transfer]) => scope.postMessage({ stowage: VERSION, id: request.id, ok: true, value } satisfies Reply, transfer),
      (error: unknown) => scope.postMessage({ stowage: VERSION, id: request.id, ok: false, error: toWire(error, request) } satisfies Reply),
    )
  })

  async function answer(request: Request): Promise<[unknown, Transferable[]?]> {
    if (request.op === 'hello') return [await holdUntilDeath(request.life)]
    const { store, channel, info } = await ready
    if (request.op === 'info') return [info]
    if (request.op === 'close') {
      await store?.close()
      channel?.close()
      return [undefined]
    }
    if (!store) throw new StorageError('UNSUPPORTED', noDriverMessage(info.probes))
    switch (request.op) {
      case 'load': {
        const bytes = await store.load(request.file)
        return [bytes, [bytes.buffer]]
      }
      case 'save':
        return [await store.save(request.file, request.data, { transfer: true })]
      case 'remove':
        return [await store.remove(request.file)]
      case 'list':
        return [await store.list()]
    }
  }
}

/**
 * Probes each driver in turn (each for at most `timeoutMs`) and returns the first that works,
 * with every probe's result. For hosts that speak a protocol of their own.
 */
export async function probeDrivers(drivers: Driver[], timeoutMs = 10_000): Promise<{ driver?: Driver; probes: ProbeResult[] }> {
  const probes: ProbeResult[] = []
  for (const driver of drivers) {
    try {
      await withTimeout(driver.probe(), timeoutMs, `probe took longer than ${timeoutMs} ms`)
      probes.push({ id: driver.id, ok: true })
      return { driver, probes }
    } catch (error) {
      probes.push({ id: driver.id, ok: false, reason: toStorageError(error, { driver: driver.id, probing: true }).message })
    }
  }
  return { probes }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

function noDriverMessage(probes: ProbeResult[]): string {
  if (probes.length === 0) return 'No storage driver was given to serve()'
  return `No storage driver works here: ${probes.map((probe) => `${probe.id}: ${probe.reason}`).join('; ')}`
}

/** The driver, announcing each save and remove that lands (once per write, after coalescing). */
function announcing(driver: Driver, announce: (change: Change) => void): Driver {
  return {
    id: driver.id,
    probe: () => driver.probe(),
    load: (file) => driver.load(file),
    list: () => driver.list(),
    close: () => driver.close(),
    save: (file, data) => driver.save(file, data).then(() => announce({ file, op: 'save' })),
    remove: (file) => driver.remove(file).then(() => announce({ file, op: 'remove' })),
  }
}

/** Holds the Web Lock `life` for as long as this worker lives; resolves once it is held. */
function holdUntilDeath(life: string): Promise<boolean> {
  if (typeof navigator === 'undefined' || !navigator.locks) return Promise.resolve(false)
  return new Promise((held) => {
    void navigator.locks.request(life, () => {
      held(true)
      return new Promise<never>(() => {})
    })
  })
}

function toWire(error: unknown, request: Request): WireError {
  const file = 'file' in request ? request.file : undefined
  const { code, message, driver, cause, file: errorFile } = toStorageError(error, { file })
  const wire: WireError = { code, message, file: errorFile, driver }
  if (cause !== undefined) {
    const { name = 'Error', message: causeMessage = String(cause) } = (typeof cause === 'object' && cause !== null ? cause : {}) as Partial<Error>
    wire.cause = { name, message: causeMessage }
  }
  return wire
}
