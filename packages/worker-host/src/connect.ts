import { isStorageError, StorageError, type CallOptions, type SaveOptions, type Store } from '@stowage/core'
import { assertValidName, toBytes } from '@stowage/core/driver'
import {
  isMessage,
  VERSION,
  type Change,
  type ChangeMessage,
  type Info,
  type Reply,
  type Request,
  type WireError,
} from './protocol.js'

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
export function connect(worker: Worker, { startTimeoutMs = 15_000 }: ConnectOptions = {}): Client {
  /** What settles each request still waiting for its reply: with its error, else its value. */
  const pending = new Map<number, (error: StorageError | undefined, value?: unknown) => void>()
  const listeners = new Set<(change: Change) => void>()
  let nextId = 1
  let dead: StorageError | undefined
  let closing: Promise<void> | undefined

  function die(reason: string): void {
    if (dead) return
    dead = new StorageError('CLOSED', reason)
    for (const settle of pending.values()) settle(dead)
    pending.clear()
  }

  worker.addEventListener('message', ({ data }: MessageEvent) => {
    if (!isMessage(data)) return
    if ('change' in data) {
      for (const listener of listeners) listener((data as ChangeMessage).change)
      return
    }
    const { id, value, error } = data as Reply
    pending.get(id)?.(error && fromWire(error), value)
    pending.delete(id)
  })
  worker.addEventListener('error', (event) =>
    die(`The storage worker failed: ${event.message || 'it could not start'}`),
  )
  worker.addEventListener('messageerror', () => die('The storage worker sent an unreadable message'))

  /**
   * Posts `request`; refused at once once the client is closing or the worker is gone, or when
   * `signal` has fired. When it fires later, the worker is told, and its answer settles the call:
   * ABORTED (with the signal's reason) if the I/O had not begun, else what really happened.
   */
  function send<T>(
    request: Omit<Request, 'stowage' | 'id'>,
    { signal }: CallOptions = {},
    transfer: Transferable[] = [],
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const { file } = request
      if (dead || closing) throw dead ?? new StorageError('CLOSED', 'The storage client is closed')
      if (signal?.aborted)
        throw new StorageError('ABORTED', `${file ?? 'list'}: aborted before it was sent`, {
          file,
          cause: signal.reason,
        })
      const id = nextId++
      const post = (message: Omit<Request, 'stowage' | 'id'>, moved: Transferable[] = []) =>
        worker.postMessage({ ...message, stowage: VERSION, id } satisfies Request, moved)
      const abort = () => post({ op: 'abort' })
      pending.set(id, (error, value) => {
        signal?.removeEventListener('abort', abort)
        if (error?.code === 'ABORTED') Object.assign(error, { cause: signal?.reason })
        error ? reject(error) : resolve(value as T)
      })
      try {
        post(signal ? { ...request, abortable: true } : request, transfer)
      } catch (error) {
        // A buffer that cannot be transferred (WebAssembly memory, say) or cloned.
        pending.delete(id)
        throw new StorageError('IO', `${file}: ${error}`, { file, cause: error })
      }
      signal?.addEventListener('abort', abort)
    })
  }

  // A terminated or crashed worker fires no event. So the worker holds a Web Lock for its whole
  // life, and we ask for the same lock: it is granted exactly when the worker is gone.
  const life = `stowage:worker-life:${Math.random()}`
  const silent = setTimeout(
    () => die(`The storage worker did not answer within ${startTimeoutMs} ms: does it call serve()?`),
    startTimeoutMs,
  )
  send<boolean>({ op: 'hello', life }).then(
    (held) => {
      clearTimeout(silent)
      if (held) void navigator.locks.request(life, () => die('The storage worker stopped'))
    },
    () => clearTimeout(silent),
  )

  return {
    async load(file, options) {
      assertValidName(file)
      return send<Uint8Array>({ op: 'load', file }, options)
    },

    async save(file, data, options: SaveOptions = {}) {
      assertValidName(file)
      const bytes = toBytes(data, file)
      // Cloning a view would copy its whole buffer; a copy of just the view, transferred, is cheaper.
      const sent = options.transfer && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice()
      // Unnamed (undefined), the worker's default applies.
      const request = { op: 'save', file, data: sent, durability: options.durability } as const
      return send<void>(request, options, [sent.buffer as ArrayBuffer])
    },

    async remove(file, options) {
      assertValidName(file)
      return send<void>({ op: 'remove', file }, options)
    },

    list: (options) => send<string[]>({ op: 'list' }, options),

    async info() {
      const storage = globalThis.navigator?.storage
      const [info, persisted, estimate] = await Promise.all([
        send<Info>({ op: 'info' }),
        storage?.persisted?.().catch(() => null) ?? null,
        storage?.estimate?.().catch(() => undefined),
      ])
      return { ...info, persisted, usage: estimate?.usage, quota: estimate?.quota }
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
          if (!isStorageError(error, 'CLOSED')) throw error
        })
        .finally(() => {
          worker.terminate()
          die('The storage client is closed')
        })
      return closing
    },
  }
}

function fromWire({ code, message, file, driver, cause }: WireError): StorageError {
  return new StorageError(code, message, {
    file,
    driver,
    cause: cause && Object.assign(new Error(cause.message), { name: cause.name }),
  })
}
