import type { Chunk, StorageAdapterInterface, StorageKey } from '@automerge/automerge-repo'
import { isStorageError, type Store } from '@stowage/core'
import { catalog, type Watchable } from './catalog.js'
import { keyNames } from './keys.js'
import { sameKey, startsWith, unwrap, wrap } from './wrap.js'

export interface StowageAdapterOptions {
  /**
   * The first part of every file name this adapter stores (1 to 64 of `A-Z a-z 0-9 - _`), so
   * that one store can hold several repos, or a repo and other files. Default `'automerge'`.
   */
  namespace?: string
}

/**
 * automerge-repo's storage on a Stowage store: usually worker-host's client, `connect(worker)`,
 * so that every write happens in the worker on the best tier the browser has. Any `Store`
 * works, `createStore(memoryDriver())` included.
 *
 * Each key is one file (see `keyNames` for the names). `loadRange` and `removeRange` find their
 * files in a catalog of names kept in memory: the store is listed once, when the adapter is made.
 * Other tabs' writes reach the catalog through the client's `watch`; over a store without
 * `watch`, a range call sees only what this adapter saved and what the listing found.
 */
export function stowageAdapter(
  store: Store & Watchable,
  { namespace = 'automerge' }: StowageAdapterOptions = {},
): StorageAdapterInterface {
  const names = keyNames(namespace)
  const files = catalog(store, names.owns)

  /** The file's bytes, or undefined when it is gone. */
  const read = (name: string) =>
    store.load(name).catch((error: unknown) => {
      if (isStorageError(error, 'NOT_FOUND')) return undefined
      throw error
    })

  /** The key and data in file `name`, when its key starts with `prefix`. */
  async function chunkIn(name: string, prefix: StorageKey): Promise<Chunk | undefined> {
    const bytes = await read(name)
    if (!bytes) return undefined
    const key = names.keyOf(name)
    if (key) return { key, data: bytes }
    const wrapped = unwrap(bytes)
    return wrapped && startsWith(wrapped.key, prefix) ? wrapped : undefined
  }

  /** The names that hold keys starting with `prefix`; a long name is read to be sure. */
  async function namesUnder(prefix: StorageKey): Promise<string[]> {
    const candidates = (await files.names()).filter((name) => names.mayMatch(name, prefix))
    const sure = await Promise.all(
      candidates.map(async (name) => (names.keyOf(name) || (await chunkIn(name, prefix)) ? name : undefined)),
    )
    return sure.filter((name) => name !== undefined)
  }

  return {
    async load(key) {
      const { name, long } = names.nameOf(key)
      const bytes = await read(name)
      if (!bytes || !long) return bytes
      // Two long keys whose names meet (a 106-bit hash collision) must not read each other's data.
      const wrapped = unwrap(bytes)
      return wrapped && sameKey(wrapped.key, key) ? wrapped.data : undefined
    },

    async save(key, data) {
      const { name, long } = names.nameOf(key)
      await store.save(name, long ? wrap(key, data) : data)
      files.added(name)
    },

    async remove(key) {
      const { name } = names.nameOf(key)
      await store.remove(name)
      files.removed(name)
    },

    async loadRange(prefix) {
      const candidates = (await files.names()).filter((name) => names.mayMatch(name, prefix))
      const chunks = await Promise.all(candidates.map((name) => chunkIn(name, prefix)))
      return chunks.filter((chunk) => chunk !== undefined)
    },

    async removeRange(prefix) {
      const doomed = await namesUnder(prefix)
      await Promise.all(doomed.map((name) => store.remove(name).then(() => files.removed(name))))
    },
  }
}
