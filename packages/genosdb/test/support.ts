import { check } from '@stowage/core/conformance'

/**
 * A database name no other test uses; its file is `<name>_graph.msgpack`, as GenosDB names it.
 * Each test file has its own `group`, because test files run side by side on one OPFS.
 */
export function freshDb(group: string): { db: string; file: string } {
  const db = `stowage-test-${group}-${crypto.randomUUID()}`
  return { db, file: `${db}_graph.msgpack` }
}

export const same = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, index) => byte === b[index])

/** The raw bytes of an OPFS root file, or undefined when there is none. */
export async function readRoot(file: string): Promise<Uint8Array | undefined> {
  const root = await navigator.storage.getDirectory()
  const handle = await root.getFileHandle(file).catch(() => undefined)
  return handle && new Uint8Array(await (await handle.getFile()).arrayBuffer())
}

export async function removeRoot(file: string): Promise<void> {
  await (await navigator.storage.getDirectory()).removeEntry(file).catch(() => undefined)
}

/** The names at the OPFS root. */
export async function rootNames(): Promise<string[]> {
  const names: string[] = []
  for await (const name of (await navigator.storage.getDirectory()).keys()) names.push(name)
  return names
}

export const GENOSDB_DATABASE = 'opfs-fallback-db'

/** Opens GenosDB's database the way GenosDB does: version 1, creating `files` on first use. */
function openGenosDB(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(GENOSDB_DATABASE, 1)
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains('files')) request.result.createObjectStore('files')
    }
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}

/** One plain transaction on GenosDB's `files` store, as a stock GenosDB tab makes it. */
export async function rawIdb<T>(mode: IDBTransactionMode, body: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openGenosDB()
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction('files', mode)
      const request = body(tx.objectStore('files'))
      tx.oncomplete = () => resolve(request.result)
      tx.onabort = () => reject(tx.error)
    })
  } finally {
    db.close()
  }
}

export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name)
    request.onsuccess = () => resolve()
    request.onerror = () => reject(request.error)
  })
}

/** Resolves when `condition` holds; fails after `ms` (a guard against hanging, not a timing claim). */
export async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = performance.now() + ms
  while (!condition()) {
    check(performance.now() < deadline, `timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
