import { StorageError, type Driver } from '@stowage/core'

function done(request: IDBRequest | IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    if (request instanceof IDBTransaction) {
      request.oncomplete = () => resolve()
      request.onabort = request.onerror = () => reject(request.error)
    } else {
      request.onsuccess = () => resolve()
      request.onerror = () => reject(request.error)
    }
  })
}

/**
 * An IndexedDB save split in two transactions, delete then put: a crash between them loses the
 * file. The crash trial's proof that it can fail, for engines without sync access handles.
 */
export function splitIdbDriver(database: string): Driver {
  const id = 'split-idb'
  const opening = indexedDB.open(database, 1)
  opening.onupgradeneeded = () => opening.result.createObjectStore('files')
  const db = done(opening).then(() => opening.result)
  const run = async (mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest | undefined) => {
    const transaction = (await db).transaction('files', mode)
    const request = work(transaction.objectStore('files'))
    await done(transaction)
    return request?.result as unknown
  }
  return {
    id,
    async probe() {},
    async load(file) {
      const value = await run('readonly', (store) => store.get(file))
      if (value === undefined) throw new StorageError('NOT_FOUND', `${file}: no such file`, { file, driver: id })
      return new Uint8Array(value as ArrayBuffer)
    },
    async save(file, data) {
      await run('readwrite', (store) => void store.delete(file))
      await run('readwrite', (store) => void store.put(data.slice().buffer, file))
    },
    async remove(file) {
      await run('readwrite', (store) => void store.delete(file))
    },
    async list() {
      return ((await run('readonly', (store) => store.getAllKeys())) as string[]).filter(
        (key) => typeof key === 'string',
      )
    },
    async close() {
      ;(await db).close()
    },
  }
}
