import { RESERVED_PREFIX, StorageError, type Driver } from '@stowage/core'
import { defineDriver, need, roundTrip } from '@stowage/core/driver'

export interface CacheStorageOptions {
  /** The Cache Storage cache that holds the files. Default 'stowage-files'. */
  cache?: string
}

// Cache keys must be http(s) URLs; a reserved host keeps them apart from real responses.
const BASE = 'https://stowage.invalid/'

const keyOf = (file: string) => BASE + encodeURIComponent(file)
const fileOf = (url: string) => decodeURIComponent(url.slice(BASE.length))

/**
 * A Stowage driver on the Cache Storage API: a worked example of writing your own tier. The
 * methods are plain: `createStore` validates, orders, types the errors and handles close.
 */
export function cacheStorage(options: CacheStorageOptions = {}): Driver {
  const name = options.cache ?? 'stowage-files'
  let opened: Promise<Cache> | undefined
  const cache = () => (opened ??= caches.open(name))

  async function load(file: string): Promise<Uint8Array> {
    const response = await (await cache()).match(keyOf(file))
    if (!response) throw new StorageError('NOT_FOUND', `${file}: no such file`)
    return new Uint8Array(await response.arrayBuffer())
  }

  // put() commits only once the whole body is read, so a reader sees the old entry or the new one.
  async function save(file: string, data: Uint8Array): Promise<void> {
    await (await cache()).put(keyOf(file), new Response(data as Uint8Array<ArrayBuffer>))
  }

  async function remove(file: string): Promise<void> {
    await (await cache()).delete(keyOf(file))
  }

  return defineDriver('cache-storage', {
    async probe() {
      need(globalThis.caches?.open, 'the Cache Storage API (caches)')
      await roundTrip({ save, load, remove })
    },
    load,
    save,
    remove,
    async list() {
      const requests = await (await cache()).keys()
      return requests.map((request) => fileOf(request.url)).filter((file) => !file.startsWith(RESERVED_PREFIX))
    },
  })
}
