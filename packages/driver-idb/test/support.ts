import { createStore, type Driver, type Store } from '@stowage/core'
import type { DriverFactory } from '@stowage/core/conformance'
import { idb, type IdbOptions } from '../src/index.ts'

/** A database name no other test uses. */
export function freshName(): string {
  return `stowage-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
}

/** A driver on a database of its own; teardown closes the driver, then deletes the database. */
export const factory: DriverFactory = async () => {
  const database = freshName()
  const driver = idb({ database })
  return {
    driver,
    reopen: () => idb({ database }),
    teardown: async () => {
      await driver.close()
      await deleteDatabase(database)
    },
  }
}

/** A Store and its driver on a fresh database; closes both and deletes the database after. */
export async function withStore(
  body: (store: Store, driver: Driver, database: string) => Promise<void>,
  options: IdbOptions = {},
): Promise<void> {
  const database = freshName()
  const driver = idb({ ...options, database })
  const store = createStore(driver)
  try {
    await body(store, driver, database)
  } finally {
    await store.close()
    await deleteDatabase(database)
  }
}

export const sameNames = (actual: IDBValidKey[], expected: IDBValidKey[]) =>
  JSON.stringify([...actual].sort()) === JSON.stringify([...expected].sort())

/**
 * Deletes a database and waits for it to be gone. A connection left open (one that ignores
 * versionchange) would block the delete: that rejects here instead of hanging the test.
 */
export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name)
    request.onsuccess = () => resolve()
    request.onerror = () => reject(request.error)
    request.onblocked = () => reject(new Error(`deleting ${name} is blocked: a connection to it is still open`))
  })
}

/** Opens a plain IndexedDB connection, as another tab would. Rejects when blocked. */
export function openRaw(name: string, version?: number, upgrade?: (db: IDBDatabase) => void): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, version)
    request.onupgradeneeded = () => upgrade?.(request.result)
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
    request.onblocked = () =>
      reject(new Error(`opening ${name} at version ${version} is blocked by an open connection`))
  })
}

/** Runs one plain transaction on a store and resolves with the request's result once it commits. */
export async function raw<T>(
  database: string,
  store: string,
  mode: IDBTransactionMode,
  body: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openRaw(database)
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(store, mode)
      const request = body(tx.objectStore(store))
      tx.oncomplete = () => resolve(request.result)
      tx.onabort = () => reject(tx.error)
    })
  } finally {
    db.close()
  }
}

/** Replaces `object[key]` for the length of `body`, then puts the original back. */
export async function patched<T extends object, K extends keyof T>(
  object: T,
  key: K,
  replacement: (original: T[K]) => T[K],
  body: () => Promise<void>,
): Promise<void> {
  const original = object[key]
  object[key] = replacement(original)
  try {
    await body()
  } finally {
    object[key] = original
  }
}

/** Pushes onto `opened` each transaction opened on any IndexedDB connection while `body` runs. */
export async function recordTransactions(opened: IDBTransaction[], body: () => Promise<void>): Promise<void> {
  await patched(
    IDBDatabase.prototype,
    'transaction',
    (transaction) =>
      function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
        const tx = transaction.apply(this, args)
        opened.push(tx)
        return tx
      },
    body,
  )
}
