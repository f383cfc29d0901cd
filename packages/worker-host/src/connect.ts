import { assertValidName, StorageError, toBytes, toStorageError, type SaveOptions, type Store } from '@stowage/core'
import { isMessage, VERSION, type Change, type ChangeMessage, type Info, type Reply, type WireError } from './protocol.js'

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
type Request = DistributiveOmit<import('./protocol.js').Request, 'stowage' | 'id'>

export interface StorageHealth {
  /** Whether the browser promised not to evict this origin's data; null where it cannot say. */
  persisted: boolean | null
  /** Bytes this origin uses and may use, from navigator.storage.estimate(), where the browser tells. */
  usage?: number
  quota?: number
}

export interface Client extends Store {
  /** Which driver serves and why each one before it did not, with the origin's storage health. Never rejects for want of a driver. */
  info(): Promise<Info & StorageHealth>
  /** Asks the browser to keep this origin's data under storage pressure; resolves with its answer. */
  persist(): Promise<boolean>
  /** Calls `listener` for each save or remove that another tab or worker lands; returns the unsubscribe. */
  watch(listener: (change: Change) => void): () => void
}

export interface ConnectOptions {
  /** How long the worker may take to answer its first message before it counts as dead, in ms. Default 15 000. */
  startTimeoutMs?: number
}

/**
 * On the page: a Store whose work all happens in `worker` (which called `serve`). Every call
 * settles: when the worker fails to start, never answers, dies, or is closed, pending and later
 * calls reject CLOSED.
 */
export function connect(worker: Worker, options: ConnectOptions = {}): Client {
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>()
  const listeners = new Set<(change: Change) => void>()
  let nextId = 1
  let dead: StorageError | undefined
  let closing: Promise<void> | undefined

  function die(reason: string): void {
    if (dead) return
    dead = new StorageError('CLOSED', reason)
    for (const { reject } of pending.values()) reject(dead)
    pending.clear()
  }

  worker.addEventListener('message', (event: MessageEvent) => {
    if (!isMessage(event.data)) return
    if ('change' in event.data) {
      for (const listener of listeners) listener((event.data as ChangeMessage).change)
      return
    }
    const reply = event.data as Reply
    const waiter = pending.get(reply.id)
    if (!waiter) return
    pending.delete(reply.id)
    if (reply.ok) waiter.resolve(reply.value)
    else waiter.reject(fromWire(reply.error))
  })
  worker.addEventListener('error', (event) => die(`The storage worker failed: ${event.message || 'it could not start'}`))
  worker.addEventListener('messageerror', () => die('The storage worker sent a message that could not be read'))

  function send<T>(request: Request, transfer: Transferable[] = []): Promise<T> {
    if (dead) return Promise.reject(dead)
    const id = nextId++
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      try {
        worker.postMessage({ ...request, stowage: VERSION, id }, transfer)
      } catch (error) {
        pending.delete(id)
        reject(toStorageError(error, { file: 'file' in request ? request.file : undefined }))
      }
    })
  }

  function open(): void {
    if (closing) throw new StorageError('CLOSED', 'The storage client is closed')
  }

  watchForDeath(send, die, options.startTimeoutMs ?? 15_000)

  return {
    async load(file) {
      assertValidName(file)
      open()
      return send<Uint8Array>({ op: 'load', file })
    },

    async save(file, data, options?: SaveOptions) {
      assertValidName(file)
      open()
      const bytes = toBytes(data, file)
      // Cloning a view would copy its whole buffer; a copy of just the view, transferred, is cheaper.
      const sent = options?.transfer && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice()
      return send<void>({ op: 'save', file, data: sent }, [sent.buffer as ArrayBuffer])
    },

    async remove(file) {
      assertValidName(file)
      open()
      return send<void>({ op: 'remove', file })
    },

    async list() {
      open()
      return send<string[]>({ op: 'list' })
    },

    async info() {
      const [info, health] = await Promise.all([send<Info>({ op: 'info' }), storageHealth()])
      return { ...info, ...health }
    },

    async persist() {
      return (await globalThis.navigator?.storage?.persist?.()) ?? false
    },

    watch(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    close() {
      closing ??= send<void>({ op: 'close' })
        .catch((error: unknown) => {
          if (!(error instanceof StorageError && error.code === 'CLOSED')) throw error
        })
        .finally(() => {
          worker.terminate()
          die('The storage client is closed')
        })
      return closing
    },
  }
}

/**
 * A terminated or crashed worker fires no event. So the worker holds a Web Lock for its whole
 * life, and we ask for the same lock: it is granted exactly when the worker is gone.
 */
function watchForDeath(send: <T>(request: Request) => Promise<T>, die: (reason: string) => void, startTimeoutMs: number): void {
  const life = `stowage:worker-life:${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`
  const silent = setTimeout(() => die(`The storage worker did not answer within ${startTimeoutMs} ms: does it call serve()?`), startTimeoutMs)
  void send<boolean>({ op: 'hello', life }).then(
    (held) => {
      clearTimeout(silent)
      if (held) void navigator.locks.request(life, () => die('The storage worker stopped'))
    },
    () => clearTimeout(silent),
  )
}

async function storageHealth(): Promise<StorageHealth> {
  const storage = globalThis.navigator?.storage
  const [persisted, estimate] = await Promise.all([
    storage?.persisted?.().catch(() => null) ?? null,
    storage?.estimate?.().catch(() => undefined),
  ])
  return { persisted, usage: estimate?.usage, quota: estimate?.quota }
}

function fromWire({ code, message, file, driver, cause }: WireError): StorageError {
  return new StorageError(code, message, {
    file,
    driver,
    cause: cause && Object.assign(new Error(cause.message), { name: cause.name }),
  })
}
