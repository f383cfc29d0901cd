import { RESERVED_PREFIX, StorageError, type Driver } from '@stowage/core'
import { toStorageError } from '@stowage/core/driver'

export interface CacheStorageOptions {
  /** The Cache Storage cache that holds the files. Default 'stowage-files'. */
  cache?: string
}

const ID = 'cache-storage'
// Cache keys must be http(s) URLs; a reserved host keeps them apart from real responses.
const BASE = 'https://stowage.invalid/'

const keyOf = (file: string) => BASE + encodeURIComponent(file)
const fileOf = (url: string) => decodeURIComponent(url.slice(BASE.length))

/** A Stowage driver on the Cache Storage API: a worked example of writing your own tier. */
export function cacheStorage(options: CacheStorageOptions = {}): Driver {
  const name = options.cache ?? 'stowage-files'
  let opened: Promise<Cache> | undefined
  let closed = false

  async function cache(file?: string): Promise<Cache> {
    if (closed) throw new StorageError('CLOSED', 'The cache-storage driver is closed', { file, driver: ID })
    opened ??= caches.open(name)
    return opened
  }

  /** Runs `op`, turning whatever it throws into a StorageError that names the file and driver. */
  async function attempt<T>(file: string | undefined, op: () => Promise<T>): Promise<T> {
    try {
      return await op()
    } catch (error) {
      throw toStorageError(error, { file, driver: ID })
    }
  }

  return {
    id: ID,

    async probe() {
      try {
        if (typeof caches === 'undefined') throw new Error('the Cache Storage API (caches) is missing')
        const probe = keyOf(`${RESERVED_PREFIX}-probe`)
        const store = await cache()
        await store.put(probe, new Response(new Uint8Array([1])))
        if (!(await store.match(probe))) throw new Error('a probe entry did not read back')
        await store.delete(probe)
      } catch (error) {
        throw toStorageError(error, { driver: ID, probing: true })
      }
    },

    load: (file) =>
      attempt(file, async () => {
        const response = await (await cache(file)).match(keyOf(file))
        if (!response) throw new StorageError('NOT_FOUND', `${file}: no such file`, { file, driver: ID })
        return new Uint8Array(await response.arrayBuffer())
      }),

    // put() commits only once the whole body is read, so a reader sees the old entry or the new one.
    save: (file, data) =>
      attempt(file, async () => (await cache(file)).put(keyOf(file), new Response(data as Uint8Array<ArrayBuffer>))),

    remove: (file) =>
      attempt(file, async () => {
        await (await cache(file)).delete(keyOf(file))
      }),

    list: () =>
      attempt(undefined, async () => {
        const requests = await (await cache()).keys()
        return requests.map((request) => fileOf(request.url)).filter((file) => !file.startsWith(RESERVED_PREFIX))
      }),

    async close() {
      closed = true
    },
  }
}
