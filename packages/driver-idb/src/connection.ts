import type { Durability } from '@stowage/core'
import { hasName } from '@stowage/core/driver'

export interface IdbConnection {
  /**
   * An idb-keyval store function (a `UseStore`): pass it to `get`, `set`, `del`, `keys` and the
   * rest. Its transactions are strict; a third argument 'relaxed' opens a relaxed one.
   */
  use<T>(
    mode: IDBTransactionMode,
    callback: (store: IDBObjectStore) => T | PromiseLike<T>,
    durability?: Durability,
  ): Promise<T>
  /** Closes the connection once it is open; later calls open it anew unless `open` throws. */
  close(): Promise<void>
}

/**
 * An idb-keyval store function with what idb-keyval's createStore lacks: strict durability (or
 * relaxed, when asked), a connection (from `openDatabase`) that steps aside on versionchange and
 * is reopened after any close, and transactions that settle only when they end, with the real
 * reason when they abort. A callback that throws, rather than rejecting, aborts its transaction,
 * so that none of the requests it made commits. A transaction whose connection the browser closes
 * under it (storage cleared, Safari at will) committed nothing: it runs once more, on a new one.
 */
export function idbConnection(openDatabase: () => Promise<IDBDatabase>, storeName: string): IdbConnection {
  let connection: Promise<IDBDatabase> | undefined

  async function begin(mode: IDBTransactionMode, durability: Durability): Promise<[IDBTransaction, () => void]> {
    connection ??= openDatabase()
    const opening = connection
    const forget = () => {
      if (connection === opening) connection = undefined
    }
    const db = await opening.catch((error: unknown) => {
      forget()
      throw error
    })
    // Fired when the browser closes it: storage cleared, disk trouble, Safari at will.
    db.onclose = forget
    // Another tab wants to upgrade or delete the database; holding on would block it.
    db.onversionchange = () => {
      db.close()
      forget()
    }
    try {
      // Without 'strict', Chromium reports `complete` before the data is on disk: what 'relaxed' asks.
      return [db.transaction(storeName, mode, { durability }), forget]
    } catch (error) {
      // A connection closed without a close event (Safari does that) would fail every call after.
      forget()
      throw error
    }
  }

  const use = async <T>(
    mode: IDBTransactionMode,
    callback: (store: IDBObjectStore) => T | PromiseLike<T>,
    durability: Durability = 'strict',
  ) => {
    const [tx, forget] = await begin(mode, durability)
    try {
      return await settle(tx, callback)
    } catch (error) {
      // Its close event may come later than the abort: the connection is dropped here and now.
      if (!isClosed(tx.db, storeName)) throw error
      forget()
      return settle((await begin(mode, durability))[0], callback)
    }
  }

  /** Runs `callback` in `tx` and settles once `tx` has ended: with its value, or its real failure. */
  const settle = async <T>(tx: IDBTransaction, callback: (store: IDBObjectStore) => T | PromiseLike<T>) => {
    // Listeners, not on* handlers: idb-keyval's set() assigns the transaction's.
    const ended = new Promise<DOMException | undefined>((resolve) => {
      tx.addEventListener('complete', () => resolve(undefined))
      tx.addEventListener('abort', () =>
        resolve(tx.error ?? new DOMException('The transaction was aborted', 'AbortError')),
      )
    })
    let pending: T | PromiseLike<T>
    try {
      pending = callback(tx.objectStore(storeName))
    } catch (error) {
      // The requests it made before it threw would otherwise commit: a delete without its put.
      const aborted = abortIfActive(tx)
      const failure = await ended
      // A transaction that had aborted already makes each later request throw: its reason is the one.
      throw aborted ? error : (failure ?? error)
    }
    let value: T
    try {
      value = await pending
    } catch (error) {
      // Waits even when the reason is known: a connection closed right after would otherwise
      // still be busy, and block a deleteDatabase or an upgrade that follows.
      const failure = await ended
      // idb-keyval rejects with tx.error, which is still null while an error event is dispatched.
      throw error ?? failure
    }
    const failure = await ended
    if (failure) throw failure
    return value
  }

  // Runs once every call has settled, so no transaction is left to wait for the connection.
  const close = async () => (await connection?.catch(() => undefined))?.close()

  return { use, close }
}

/** Whether `db` was closed: a closed connection refuses every new transaction (InvalidStateError). */
function isClosed(db: IDBDatabase, storeName: string): boolean {
  try {
    db.transaction(storeName, 'readonly').abort()
    return false
  } catch (error) {
    return hasName(error, 'InvalidStateError')
  }
}

/** Aborts `tx`; false when it had already ended (then abort() throws InvalidStateError). */
function abortIfActive(tx: IDBTransaction): boolean {
  try {
    tx.abort()
    return true
  } catch {
    return false
  }
}
