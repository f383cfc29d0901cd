import { measured, type Ops } from './measure.js'
import { serveMeasured, serveOps } from './remote.js'

/** The part of FileSystemSyncAccessHandle used here (TypeScript's DOM library leaves it to workers). */
interface SyncAccessHandle {
  read(into: Uint8Array, options: { at: number }): number
  write(bytes: Uint8Array, options: { at: number }): number
  truncate(size: number): void
  flush(): void
  getSize(): number
  close(): void
}

/**
 * How the raw APIs are driven. `floor` is `sync-kept` timed on the page, one message each way with
 * the bytes transferred: what any library that works from a worker pays at the least.
 */
export type RawStrategy = 'sync-kept' | 'sync-per-save' | 'writable' | 'idb' | 'floor'

const strategy = new URL(location.href).searchParams.get('strategy') as RawStrategy
const directory = navigator.storage
  .getDirectory()
  .then((root) => root.getDirectoryHandle(`bench-raw-${strategy}`, { create: true }))

/**
 * Opens a sync access handle. The file handle stays referenced until the call settles: Chromium
 * can leave createSyncAccessHandle pending forever when its handle is collected meanwhile.
 */
async function openSync(file: string): Promise<SyncAccessHandle> {
  const handle = await (await directory).getFileHandle(file, { create: true })
  const opening = (
    handle as unknown as { createSyncAccessHandle(): Promise<SyncAccessHandle> }
  ).createSyncAccessHandle()
  return opening.finally(() => handle)
}

function writeAll(access: SyncAccessHandle, bytes: Uint8Array): void {
  access.truncate(0)
  const written = access.write(bytes, { at: 0 })
  if (written !== bytes.length) throw new Error(`wrote ${written} of ${bytes.length} bytes`)
  access.flush()
}

function readAll(access: SyncAccessHandle): Uint8Array {
  const bytes = new Uint8Array(access.getSize())
  access.read(bytes, { at: 0 })
  return bytes
}

/** One sync access handle per file, opened on first use and never closed: the physical limit. */
function syncKept(): Ops {
  const open = new Map<string, Promise<SyncAccessHandle>>()
  const access = (file: string) => {
    const handle = open.get(file) ?? openSync(file)
    open.set(file, handle)
    return handle
  }
  return {
    save: async (file, bytes) => writeAll(await access(file), bytes),
    load: async (file) => readAll(await access(file)),
  }
}

/** A sync access handle opened and closed around every operation: the naive way. */
function syncPerSave(): Ops {
  async function within<T>(file: string, op: (access: SyncAccessHandle) => T): Promise<T> {
    const access = await openSync(file)
    try {
      return op(access)
    } finally {
      access.close()
    }
  }
  return {
    save: (file, bytes) => within(file, (access) => writeAll(access, bytes)),
    load: (file) => within(file, readAll),
  }
}

function writable(): Ops {
  const handle = async (file: string) => (await directory).getFileHandle(file, { create: true })
  return {
    async save(file, bytes) {
      const stream = await (await handle(file)).createWritable()
      try {
        await stream.write(bytes)
        await stream.close()
      } catch (error) {
        await stream.abort().catch(() => undefined)
        throw error
      }
    },
    load: async (file) => new Uint8Array(await (await (await handle(file)).getFile()).arrayBuffer()),
  }
}

/** One object store, one put or get per transaction, with the browser's default durability. */
function indexedDb(): Ops {
  const database = new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('bench-raw-idb', 1)
    request.onupgradeneeded = () => request.result.createObjectStore('files')
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
  async function transaction<T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const tx = (await database).transaction('files', mode)
    const request = op(tx.objectStore('files'))
    return new Promise<T>((resolve, reject) => {
      tx.oncomplete = () => resolve(request.result)
      tx.onabort = tx.onerror = () => reject(tx.error ?? request.error)
    })
  }
  return {
    save: (file, bytes) => transaction('readwrite', (store) => store.put(bytes, file)),
    load: (file) => transaction('readonly', (store) => store.get(file)),
  }
}

const strategies: Record<Exclude<RawStrategy, 'floor'>, () => Ops> = {
  'sync-kept': syncKept,
  'sync-per-save': syncPerSave,
  writable,
  idb: indexedDb,
}
if (strategy === 'floor') serveOps(syncKept())
else serveMeasured(measured(strategies[strategy]()))
