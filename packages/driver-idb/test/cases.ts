import { createStore, RESERVED_PREFIX, type ErrorCode, type StorageError } from '@stowage/core'
import { check, checkBytes, checkRejects, randomBytes } from '@stowage/core/conformance'
import { idb } from '../src/index.ts'
import {
  deleteDatabase,
  freshName,
  recordTransactions,
  openRaw,
  patched,
  raw,
  sameNames,
  withStore,
} from './support.ts'

const KiB = 1024
const MiB = 1024 * KiB

type Case = () => Promise<void>

const is = (original: unknown) => (cause: unknown) => cause === original
const named = (name: string) => (cause: unknown) => cause instanceof DOMException && cause.name === name

/** Moves the database one version up from another connection, as a newer tab would. */
async function bumpVersion(database: string): Promise<void> {
  const current = await openRaw(database)
  current.close()
  ;(await openRaw(database, current.version + 1)).close()
}

/**
 * Saves a file, breaks one real IndexedDB object for the length of one operation on it, and
 * checks that the caller got `code` with the original error as cause, that the file still holds
 * its previous content, and that the next save and load work.
 */
function faultCase(
  op: 'save' | 'load' | 'remove',
  code: ErrorCode,
  fault: (during: () => Promise<void>) => Promise<void>,
  isCause: (cause: unknown) => boolean,
  prepare?: (database: string) => Promise<void>,
): Case {
  return () =>
    withStore(async (store, _driver, database) => {
      const before = randomBytes(KiB)
      await store.save('f', before)
      await prepare?.(database)
      await fault(async () => {
        const attempt =
          op === 'save' ? store.save('f', randomBytes(2 * KiB)) : op === 'load' ? store.load('f') : store.remove('f')
        const error = (await checkRejects(attempt, code, `${op} under the fault`)) as StorageError
        check(
          error.file === 'f' && error.driver === 'idb',
          `${op}: error.file is ${error.file}, error.driver is ${error.driver}`,
        )
        check(isCause(error.cause), `${op}: the cause is ${String(error.cause)}, not the original error`)
      })
      checkBytes(await store.load('f'), before, `load after the failed ${op}: the previous content`)
      const after = randomBytes(KiB)
      await store.save('f', after)
      checkBytes(await store.load('f'), after, `save and load after the failed ${op}`)
    })
}

/** A fault: each put goes through, then its transaction aborts, with `error` as the transaction's error where given. */
const abortAfterPut = (error?: DOMException) => (during: () => Promise<void>) =>
  patched(
    IDBObjectStore.prototype,
    'put',
    (put) =>
      function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
        const request = put.call(this, value, key)
        if (error) Object.defineProperty(this.transaction, 'error', { value: error })
        this.transaction.abort()
        return request
      },
    during,
  )

const quota = new DOMException('injected by the test', 'QuotaExceededError')
const commitQuota = new DOMException('injected by the test at commit', 'QuotaExceededError')
const readFailure = new DOMException('injected by the test', 'UnknownError')
const denied = new DOMException('injected by the test', 'SecurityError')

/** Faults, raw storage and reconnection: cases that patch or share the context, run in a worker. */
export const workerCases: Record<string, Case> = {
  'save: put throwing QuotaExceededError reaches the caller as QUOTA_EXCEEDED': faultCase(
    'save',
    'QUOTA_EXCEEDED',
    (during) =>
      patched(
        IDBObjectStore.prototype,
        'put',
        () => (): never => {
          throw quota
        },
        during,
      ),
    is(quota),
  ),

  'save: a transaction aborted with QuotaExceededError at commit is QUOTA_EXCEEDED': faultCase(
    'save',
    'QUOTA_EXCEEDED',
    // What Chromium does when the disk fills up: the transaction aborts, its error says why.
    abortAfterPut(commitQuota),
    is(commitQuota),
  ),

  'save: a request that fails asynchronously rejects with its error, not null': faultCase(
    'save',
    'IO',
    // add() on an existing key fails with ConstraintError after the call returns; while that error
    // event is dispatched, transaction.error is still null.
    (during) =>
      patched(
        IDBObjectStore.prototype,
        'put',
        () =>
          function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
            return this.add(value, key)
          },
        during,
      ),
    named('ConstraintError'),
  ),

  'save: an aborted transaction rejects IO with an AbortError and stores nothing': faultCase(
    'save',
    'IO',
    abortAfterPut(),
    named('AbortError'),
  ),

  'save: a connection closed without a close event is reopened by the next call': faultCase(
    'save',
    'IO',
    // What Safari does at times: the connection is closed, no event says so, and
    // db.transaction() throws InvalidStateError.
    (during) =>
      patched(
        IDBDatabase.prototype,
        'transaction',
        (transaction) =>
          function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
            this.close()
            return transaction.apply(this, args)
          },
        during,
      ),
    named('InvalidStateError'),
  ),

  'load: get throwing reaches the caller': faultCase(
    'load',
    'IO',
    (during) =>
      patched(
        IDBObjectStore.prototype,
        'get',
        () => (): never => {
          throw readFailure
        },
        during,
      ),
    is(readFailure),
  ),

  'load: a read transaction aborted under the request rejects IO': faultCase(
    'load',
    'IO',
    (during) =>
      patched(
        IDBObjectStore.prototype,
        'get',
        (get) =>
          function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange) {
            const request = get.call(this, query)
            this.transaction.abort()
            return request
          },
        during,
      ),
    named('AbortError'),
  ),

  'remove: delete throwing reaches the caller and the file stays': faultCase(
    'remove',
    'IO',
    (during) =>
      patched(
        IDBObjectStore.prototype,
        'delete',
        () => (): never => {
          throw readFailure
        },
        during,
      ),
    is(readFailure),
  ),

  'load: indexedDB.open throwing on reconnect reaches the caller; the next call reopens': faultCase(
    'load',
    'IO',
    (during) =>
      patched(
        IDBFactory.prototype,
        'open',
        () => (): never => {
          throw denied
        },
        during,
      ),
    is(denied),
    bumpVersion,
  ),

  'load: an open request failing on reconnect (VersionError) reaches the caller': faultCase(
    'load',
    'IO',
    (during) =>
      patched(
        IDBFactory.prototype,
        'open',
        (open) =>
          function (this: IDBFactory, name: string) {
            return open.call(this, name, 1)
          },
        during,
      ),
    named('VersionError'),
    bumpVersion,
  ),

  'every write is one readwrite transaction with strict durability': () =>
    withStore(async (store, driver) => {
      const opened: IDBTransaction[] = []
      await recordTransactions(opened, async () => {
        await store.save('f', randomBytes(KiB))
        const writes = opened.filter((tx) => tx.mode === 'readwrite')
        check(writes.length === 1, `one save opened ${writes.length} readwrite transactions`)
        await store.remove('f')
        await driver.probe()
      })
      const writes = opened.filter((tx) => tx.mode === 'readwrite')
      check(writes.length === 4, `save, remove and probe opened ${writes.length} readwrite transactions, expected 4`)
      const loose = writes.filter((tx) => tx.durability !== 'strict').map((tx) => tx.durability)
      check(loose.length === 0, `write transactions with durability ${JSON.stringify(loose)}`)
    }),

  'a relaxed save is one relaxed transaction; nothing else is': () =>
    withStore(async (store) => {
      const opened: IDBTransaction[] = []
      await recordTransactions(opened, async () => {
        await store.save('f', randomBytes(KiB), { durability: 'relaxed' })
        await store.save('f', randomBytes(KiB), { durability: 'strict' })
        await store.load('f')
        await store.remove('f')
      })
      const seen = opened.filter((tx) => tx.mode === 'readwrite').map((tx) => tx.durability)
      check(seen.join() === 'relaxed,strict,strict', `write transactions with durability ${JSON.stringify(seen)}`)
    }),

  'a relaxed save over 60 KiB is strict: a relaxed blob can be lost under its record': () =>
    withStore(async (store) => {
      const opened: IDBTransaction[] = []
      await recordTransactions(opened, async () => {
        await store.save('f', randomBytes(60 * KiB), { durability: 'relaxed' })
        await store.save('f', randomBytes(60 * KiB + 1), { durability: 'relaxed' })
        await store.save('f', randomBytes(MiB), { durability: 'relaxed' })
      })
      const seen = opened.filter((tx) => tx.mode === 'readwrite').map((tx) => tx.durability)
      check(seen.join() === 'relaxed,strict,strict', `write transactions with durability ${JSON.stringify(seen)}`)
    }),

  "the stored value is an ArrayBuffer of exactly the view's bytes": () =>
    withStore(async (store, driver, database) => {
      const big = randomBytes(MiB)
      const view = big.subarray(1000, 1010)
      await store.save('through-store', view)
      await driver.save('direct', view)
      for (const key of ['through-store', 'direct']) {
        const value = await raw(database, 'files', 'readonly', (files) => files.get(key))
        check(value instanceof ArrayBuffer, `${key}: the stored value is ${Object.prototype.toString.call(value)}`)
        check(value.byteLength === 10, `${key}: the stored ArrayBuffer holds ${value.byteLength} bytes, not 10`)
        checkBytes(new Uint8Array(value), view, `${key}: the stored bytes`)
      }
    }),

  "format 'uint8array': one Uint8Array of exactly the bytes, however large; such values and ArrayBuffers load": () =>
    withStore(
      async (store, _driver, database) => {
        const big = randomBytes(64 * KiB)
        await store.save('big', big)
        const view = randomBytes(KiB).subarray(100, 110)
        await store.save('view', view)
        const keys = await raw(database, 'files', 'readonly', (files) => files.getAllKeys())
        const names = ['big', 'view', `${RESERVED_PREFIX}-saved/big`, `${RESERVED_PREFIX}-saved/view`]
        check(sameNames(keys, names), `the store holds ${JSON.stringify(keys)}: chunks, or other keys`)
        for (const [key, bytes] of [
          ['big', big],
          ['view', view],
        ] as const) {
          const value = await raw(database, 'files', 'readonly', (files) => files.get(key))
          check(value instanceof Uint8Array, `${key}: the stored value is ${Object.prototype.toString.call(value)}`)
          check(value.buffer.byteLength === bytes.length, `${key}: the stored buffer holds more than the bytes`)
          checkBytes(value, bytes, `${key}: the stored bytes`)
        }
        const theirs = randomBytes(KiB)
        await raw(database, 'files', 'readwrite', (files) => files.put(theirs.subarray(10, 20), 'their view'))
        checkBytes(await store.load('their view'), theirs.subarray(10, 20), 'a view another app stored')
        await raw(database, 'files', 'readwrite', (files) => files.put(theirs.slice(0, 5).buffer, 'their buffer'))
        checkBytes(await store.load('their buffer'), theirs.subarray(0, 5), 'an ArrayBuffer another app stored')
        await raw(database, 'files', 'readwrite', (files) => files.put('text', 'their text'))
        await checkRejects(store.load('their text'), 'CORRUPT', 'a value that is no bytes')
      },
      { format: 'uint8array', chunkSize: KiB },
    ),

  'a view of a whole buffer goes to IndexedDB without a copy': () =>
    withStore(async (_store, driver) => {
      const whole = randomBytes(KiB)
      const given: unknown[] = []
      await patched(
        IDBObjectStore.prototype,
        'put',
        (put) =>
          function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
            if (key === 'whole') given.push(value)
            return put.call(this, value, key)
          },
        () => driver.save('whole', whole),
      )
      check(given.length === 1 && given[0] === whole.buffer, 'the driver copied a view that covers its whole buffer')
      checkBytes(await driver.load('whole'), whole, 'load of the saved buffer')
    }),

  "someone else's values load as CORRUPT; list shows string keys outside the reserved prefix": () =>
    withStore(async (store, _driver, database) => {
      await store.save('mine', randomBytes(8))
      const foreign: [IDBValidKey, unknown][] = [
        ['text', 'not bytes'],
        ['typed', new Uint8Array([1, 2, 3])],
        ['object', { bytes: [1, 2, 3] }],
        [42, new ArrayBuffer(4)],
        [`${RESERVED_PREFIX}-internal`, new ArrayBuffer(4)],
      ]
      for (const [key, value] of foreign) await raw(database, 'files', 'readwrite', (files) => files.put(value, key))
      for (const file of ['text', 'typed', 'object']) {
        const error = (await checkRejects(store.load(file), 'CORRUPT', `load of ${file}`)) as StorageError
        check(
          error.file === file && error.driver === 'idb',
          `${file}: error.file ${error.file}, error.driver ${error.driver}`,
        )
      }
      const listed = await store.list()
      check(sameNames(listed, ['mine', 'text', 'typed', 'object']), `list is ${JSON.stringify(listed)}`)
    }),

  'an outside deleteDatabase is not blocked, and the next call reopens': () =>
    withStore(async (store, _driver, database) => {
      await store.save('f', randomBytes(KiB))
      await deleteDatabase(database)
      await checkRejects(store.load('f'), 'NOT_FOUND', 'load from the deleted database')
      const bytes = randomBytes(KiB)
      await store.save('g', bytes)
      checkBytes(await store.load('g'), bytes, 'load after reopening')
      const listed = await store.list()
      check(sameNames(listed, ['g']), `list after reopening is ${JSON.stringify(listed)}`)
    }),

  'an outside upgrade is not blocked, and the next call reopens at the new version': () =>
    withStore(async (store, _driver, database) => {
      const bytes = randomBytes(KiB)
      await store.save('f', bytes)
      const other = await openRaw(database, 2, (db) => db.createObjectStore('theirs'))
      try {
        checkBytes(await store.load('f'), bytes, 'load after the upgrade')
        const next = randomBytes(KiB)
        await store.save('f', next)
        checkBytes(await store.load('f'), next, 'save and load after the upgrade')
      } finally {
        other.close()
      }
    }),

  'two drivers keep their own stores in one database': async () => {
    const database = freshName()
    const a = createStore(idb({ database, store: 'a' }))
    const b = createStore(idb({ database, store: 'b' }))
    try {
      const [bytesA, bytesB] = [randomBytes(KiB), randomBytes(KiB)]
      await a.save('f', bytesA)
      // Adds store b in an upgrade, which a's open connection must let through.
      await b.save('f', bytesB)
      checkBytes(await a.load('f'), bytesA, 'a after b joined')
      checkBytes(await b.load('f'), bytesB, 'b')
      const db = await openRaw(database)
      const stores = [...db.objectStoreNames]
      db.close()
      check(sameNames(stores, ['a', 'b']), `the database holds the stores ${JSON.stringify(stores)}`)
    } finally {
      await a.close()
      await b.close()
      await deleteDatabase(database)
    }
  },

  'a database someone else created gains our store and keeps theirs': async () => {
    const database = freshName()
    const theirs = await openRaw(database, 1, (db) => db.createObjectStore('theirs'))
    theirs.close()
    await raw(database, 'theirs', 'readwrite', (store) => store.put('their value', 'x'))
    const store = createStore(idb({ database }))
    try {
      const bytes = randomBytes(KiB)
      await store.save('f', bytes)
      checkBytes(await store.load('f'), bytes, 'load from the shared database')
      const kept = await raw(database, 'theirs', 'readonly', (their) => their.get('x'))
      check(kept === 'their value', `their value became ${String(kept)}`)
    } finally {
      await store.close()
      await deleteDatabase(database)
    }
  },

  'an upgrade blocked by a connection that ignores versionchange rejects LOCKED, then recovers': async () => {
    const database = freshName()
    const stubborn = await openRaw(database, 1, (db) => db.createObjectStore('theirs'))
    const store = createStore(idb({ database }))
    try {
      const error = (await checkRejects(
        store.save('f', randomBytes(8)),
        'LOCKED',
        'save while the upgrade is blocked',
      )) as StorageError
      check(error.file === 'f' && error.driver === 'idb', `error.file ${error.file}, error.driver ${error.driver}`)
      stubborn.close()
      const bytes = randomBytes(KiB)
      await store.save('f', bytes)
      checkBytes(await store.load('f'), bytes, 'load once the other connection closed')
    } finally {
      stubborn.close()
      await store.close()
      await deleteDatabase(database)
    }
  },

  'close while the connection is still opening lets the call finish, then leaves none behind': async () => {
    const database = freshName()
    const store = createStore(idb({ database }))
    const loading = store.load('f')
    await store.close()
    await checkRejects(loading, 'NOT_FOUND', 'a load that was waiting for the connection')
    await checkRejects(store.load('f'), 'CLOSED', 'a load after close')
    await deleteDatabase(database)
  },
}

/** Probe and close, run both in a worker and on the main thread. */
export const probeCases: Record<string, Case> = {
  'probe resolves and leaves no key behind': async () => {
    const database = freshName()
    const driver = idb({ database })
    try {
      await driver.probe()
      const keys = await raw(database, 'files', 'readonly', (files) => files.getAllKeys())
      check(keys.length === 0, `the probe left ${JSON.stringify(keys)} in the store`)
    } finally {
      await driver.close()
      await deleteDatabase(database)
    }
  },

  'probe rejects UNSUPPORTED with the reason when indexedDB.open throws SecurityError': async () => {
    const database = freshName()
    const driver = idb({ database })
    try {
      await patched(
        IDBFactory.prototype,
        'open',
        () => (): never => {
          throw denied
        },
        async () => {
          const error = (await checkRejects(driver.probe(), 'UNSUPPORTED', 'probe with open throwing')) as StorageError
          check(error.cause === denied, `the cause is ${String(error.cause)}`)
          check(error.message.includes('SecurityError'), `the message "${error.message}" does not give the reason`)
          check(error.driver === 'idb', `error.driver is ${error.driver}`)
        },
      )
      await driver.probe()
    } finally {
      await driver.close()
      await deleteDatabase(database)
    }
  },

  'probe rejects UNSUPPORTED when the open request fails': async () => {
    const database = freshName()
    ;(await openRaw(database, 2)).close()
    const driver = idb({ database })
    try {
      await patched(
        IDBFactory.prototype,
        'open',
        (open) =>
          function (this: IDBFactory, name: string) {
            return open.call(this, name, 1)
          },
        async () => {
          const error = (await checkRejects(
            driver.probe(),
            'UNSUPPORTED',
            'probe with a failing open request',
          )) as StorageError
          check(named('VersionError')(error.cause), `the cause is ${String(error.cause)}`)
        },
      )
      await driver.probe()
    } finally {
      await driver.close()
      await deleteDatabase(database)
    }
  },

  'probe rejects UNSUPPORTED where indexedDB is missing': async () => {
    // An own property on the window, inherited in a worker: shadow it, then put back what was there.
    const own = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB')
    const driver = idb({ database: freshName() })
    Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true })
    try {
      const error = (await checkRejects(driver.probe(), 'UNSUPPORTED', 'probe without indexedDB')) as StorageError
      check(error.message.includes('IndexedDB'), `the message "${error.message}" does not give the reason`)
    } finally {
      if (own) Object.defineProperty(globalThis, 'indexedDB', own)
      else delete (globalThis as { indexedDB?: IDBFactory }).indexedDB
      await driver.close()
    }
  },

  'after close, every call rejects CLOSED and opens no connection': async () => {
    const database = freshName()
    const store = createStore(idb({ database }))
    await store.save('f', randomBytes(8))
    await store.close()
    try {
      const error = (await checkRejects(store.load('f'), 'CLOSED', 'load')) as StorageError
      check(error.file === 'f' && error.driver === 'idb', `error.file ${error.file}, error.driver ${error.driver}`)
      await checkRejects(store.save('f', randomBytes(8)), 'CLOSED', 'save')
      await checkRejects(store.remove('f'), 'CLOSED', 'remove')
      await checkRejects(store.list(), 'CLOSED', 'list')
      const opened: IDBTransaction[] = []
      await recordTransactions(opened, async () => void (await store.load('f').catch(() => undefined)))
      check(opened.length === 0, `a call after close opened ${opened.length} transactions`)
    } finally {
      await deleteDatabase(database)
    }
  },
}
