import { emit, serveCases } from '@stowage/browsers/worker'
import { createStore, type Driver, isStorageError, type Store } from '@stowage/core'
import { adoptFiles } from '@stowage/core/driver'
import { inspect } from './inspect.js'
import { HEADER, payload, verify } from './payload.js'
import {
  type ContendResult,
  type LabEvent,
  type LabRequest,
  type Loaded,
  type Target,
  type Tiers,
  tierPlace,
} from './protocol.js'

/** How the lab makes a driver of each name, in a namespace of the trial's choosing. */
export type DriverFactories = Record<string, (place: string) => Driver>

/**
 * Inside the lab's dedicated worker: answers the page's requests with the named drivers, each
 * used through `createStore` as an app would. Browser-neutral.
 */
export function serveLab(drivers: DriverFactories): void {
  const stores = new Map<string, Store>()
  const waiting = new Map<number, () => void>()

  const keyOf = ({ driver, place }: Target) => `${driver}\u0000${place}`

  function storeFor(target: Target): Store {
    const key = keyOf(target)
    let store = stores.get(key)
    if (!store) {
      const make = drivers[target.driver]
      if (!make)
        throw new Error(
          `No driver named ${JSON.stringify(target.driver)}; the lab has ${Object.keys(drivers).join(', ')}`,
        )
      store = createStore(make(target.place))
      stores.set(key, store)
    }
    return store
  }

  /** Posts `started` and resolves when the page says go: the watcher knows before the save begins. */
  function announce(event: LabEvent & { event: 'started' }): Promise<void> {
    return new Promise((resolve) => {
      waiting.set(event.seq, resolve)
      emit(event)
    })
  }

  async function loop(request: LabRequest & { op: 'loop' }): Promise<never> {
    const store = storeFor(request)
    const { removeEvery } = request
    for (let seq = request.from; ; seq++) {
      if (removeEvery && seq % removeEvery === 0) {
        await announce({ event: 'started', seq, length: 0, remove: true })
        await store.remove(request.file)
      } else {
        const length = randomLength(request.maxLength)
        const bytes = payload(seq, length)
        await announce({ event: 'started', seq, length })
        await store.save(request.file, bytes)
      }
      emit({ event: 'acked', seq } satisfies LabEvent)
    }
  }

  async function contend(request: LabRequest & { op: 'contend' }): Promise<ContendResult> {
    const store = storeFor(request)
    const errors: string[] = []
    const saves: Promise<void>[] = []
    let last = { seq: 0, length: 0 }
    const now = () => performance.timeOrigin + performance.now()
    const from = now()
    for (let i = 0; i < request.seqs.length; ) {
      // A burst of up to 20 saves left in flight, or now and then one save awaited on its own.
      const burst = Math.random() < 0.2 ? 1 : 1 + Math.floor(Math.random() * 20)
      for (const seq of request.seqs.slice(i, i + burst)) {
        last = { seq, length: randomLength(request.maxLength) }
        saves.push(
          store.save(request.file, payload(last.seq, last.length)).catch((error) => void errors.push(describe(error))),
        )
      }
      i += burst
      if (burst === 1 || Math.random() < 0.3) await Promise.all(saves)
    }
    await Promise.all(saves)
    return { errors, last, span: { from, to: now() } }
  }

  /** The two drivers of an adoption trial, fresh instances as a new worker would make. */
  function tiers({ serving, other, place }: Tiers): { serving: Driver; other: Driver } {
    const make = (name: string) => {
      const factory = drivers[name]
      if (!factory) throw new Error(`No driver named ${JSON.stringify(name)}`)
      return factory(tierPlace(place, name))
    }
    return { serving: make(serving), other: make(other) }
  }

  type Op<K> = LabRequest & { op: K }
  serveCases({
    save: async (request: Op<'save'>) => {
      await storeFor(request).save(request.file, payload(request.seq, request.length))
      return null
    },
    load: async (request: Op<'load'>) => {
      const store = storeFor(request)
      try {
        return verify(await store.load(request.file))
      } catch (error) {
        if (isStorageError(error, 'NOT_FOUND')) return { seq: null, length: null, size: 0, problem: 'NOT_FOUND' }
        throw new Error(describe(error))
      } finally {
        if (request.close) {
          stores.delete(keyOf(request))
          await store.close()
        }
      }
    },
    loop,
    contend,
    inspect: (request: Op<'inspect'>) => inspect(request.place),
    seed: async ({ driver, place, copies }: Op<'seed'>) => {
      const store = createStore(drivers[driver]!(tierPlace(place, driver)))
      try {
        for (const { file, seq, length } of copies) await store.save(file, payload(seq, length))
      } finally {
        await store.close()
      }
      return null
    },
    adopt: async (request: Op<'adopt'>) => {
      const { serving, other } = tiers(request)
      try {
        return await adoptFiles(serving, [serving, other], { settleMs: request.settleMs })
      } finally {
        await Promise.all([serving.close(), other.close()])
      }
    },
    survey: async (request: Op<'survey'>) => {
      const { serving, other } = tiers(request)
      const stores = [createStore(serving), createStore(other)] as const
      const loaded = (store: Store, file: string): Promise<Loaded> =>
        store.load(file).then(
          (bytes) => ({ verdict: verify(bytes) }),
          (error: unknown) =>
            isStorageError(error, 'NOT_FOUND')
              ? { verdict: { seq: null, length: null, size: 0, problem: 'NOT_FOUND' } }
              : { failed: describe(error) },
        )
      try {
        const found: Record<string, Loaded> = {}
        const inOther: Record<string, Loaded> = {}
        // A tier that cannot be listed holds nothing the app could read back: each file failed there.
        const kept = await stores[1].list().then(
          (names) => new Set(names),
          (error: unknown) => `the tier could not be listed: ${describe(error)}`,
        )
        for (const file of request.files) {
          found[file] = await loaded(stores[0], file)
          if (typeof kept === 'string') inOther[file] = { failed: kept }
          else if (kept.has(file)) inOther[file] = await loaded(stores[1], file)
        }
        return { found, inOther }
      } finally {
        await Promise.all(stores.map((store) => store.close()))
      }
    },
    go: (seq: number) => {
      waiting.get(seq)?.()
      waiting.delete(seq)
    },
  })
}

function randomLength(max: number): number {
  return HEADER + Math.floor(Math.random() * (max - HEADER + 1))
}

function describe(error: unknown): string {
  if (isStorageError(error)) return `StorageError ${error.code}: ${error.message}${causeOf(error.cause)}`
  const { name = 'Error', message = String(error) } = (error ?? {}) as Partial<Error>
  return `${name}: ${message}`
}

function causeOf(cause: unknown): string {
  if (cause === undefined) return ''
  const { name = 'Error', message = String(cause) } = (cause ?? {}) as Partial<Error>
  return ` (cause ${name}: ${message})`
}
