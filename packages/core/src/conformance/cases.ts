import type { Driver, Store } from '../driver.js'
import { createStore } from '../store.js'
import { MAX_NAME_BYTES, RESERVED_PREFIX } from '../validate.js'
import { check, checkBytes, checkRejects, randomBytes } from './assert.js'

/**
 * Makes a driver over storage of its own, empty, that no other call of the factory shares
 * (a fresh directory or database). `reopen` makes another instance over that same storage, as a
 * new page, worker or browser session would: the kit reads what each kind of save left through
 * one, so that what only the writing instance remembers is caught. Omit it only where the storage
 * dies with its instance (the memory driver). `teardown` deletes the storage.
 */
export type DriverFactory = () => Promise<{ driver: Driver; reopen?: () => Driver; teardown?: () => Promise<void> }>

export interface ConformanceCase {
  name: string
  run(factory: DriverFactory): Promise<void>
}

const KiB = 1024
const MiB = 1024 * KiB

/**
 * Checks `file` through a fresh instance over the same storage: `expected` bytes, or NOT_FOUND
 * when null. The writing instance stays open meanwhile, as another tab's would.
 */
type Cold = (file: string, expected: Uint8Array | null, what: string) => Promise<void>

async function withStore(
  factory: DriverFactory,
  body: (store: Store, driver: Driver, cold: Cold) => Promise<void>,
): Promise<void> {
  const { driver, reopen, teardown } = await factory()
  const store = createStore(driver)
  const cold: Cold = async (file, expected, what) => {
    if (!reopen) return
    const fresh = createStore(reopen())
    try {
      if (expected) checkBytes(await fresh.load(file), expected, `${what}, read through a fresh driver`)
      else await checkRejects(fresh.load(file), 'NOT_FOUND', `${what}, read through a fresh driver`)
    } finally {
      await fresh.close()
    }
  }
  try {
    await body(store, driver, cold)
  } finally {
    try {
      await store.close()
    } finally {
      await teardown?.()
    }
  }
}

function roundTrip(label: string, size: number): ConformanceCase {
  return {
    name: `round trip of ${label}`,
    run: (factory) =>
      withStore(factory, async (store, driver, cold) => {
        const bytes = randomBytes(size)
        await store.save('data.bin', bytes)
        checkBytes(await store.load('data.bin'), bytes, `load after saving ${label}`)
        checkBytes(await driver.load('data.bin'), bytes, `driver.load after saving ${label}`)
        await cold('data.bin', bytes, `load after saving ${label}`)
      }),
  }
}

const sameNames = (actual: string[], expected: string[]) =>
  JSON.stringify([...actual].sort()) === JSON.stringify([...expected].sort())

const NAMES = [
  'with space.bin',
  'dots.in.the.name',
  '.leading-dot',
  'trailing-dot.',
  'ünïcødé 名前 🚀',
  `${'é'.repeat((MAX_NAME_BYTES - 1) / 2)}x`,
]

const BAD_NAMES: unknown[] = [
  '',
  '.',
  '..',
  'a/b',
  'a\\b',
  'a\0b',
  'x'.repeat(MAX_NAME_BYTES + 1),
  `${RESERVED_PREFIX}-mine`,
  'lone \uD800 surrogate',
  42,
  undefined,
]

function detachedBytes(): Uint8Array {
  const bytes = new Uint8Array(8)
  structuredClone(bytes.buffer, { transfer: [bytes.buffer] })
  return bytes
}

const BAD_DATA: unknown[] = [
  'text',
  [1, 2, 3],
  new Uint16Array(4),
  new DataView(new ArrayBuffer(4)),
  null,
  undefined,
  {},
]

/** The cases every driver must pass. Each is a plain async function that throws on failure. */
export const conformanceCases: ConformanceCase[] = [
  {
    name: 'probe resolves where the driver works',
    run: (factory) => withStore(factory, (_store, driver) => driver.probe()),
  },
  roundTrip('0 B', 0),
  roundTrip('1 B', 1),
  roundTrip('1 KiB', KiB),
  roundTrip('1 MiB', MiB),
  roundTrip('16 MiB', 16 * MiB),
  {
    name: 'a shorter overwrite leaves no stale tail',
    run: (factory) =>
      withStore(factory, async (store, _driver, cold) => {
        const long = randomBytes(MiB)
        await store.save('f', long)
        await cold('f', long, 'after saving 1 MiB')
        const short = randomBytes(10)
        await store.save('f', short)
        checkBytes(await store.load('f'), short, 'after overwriting 1 MiB with 10 B')
        await cold('f', short, 'after overwriting 1 MiB with 10 B')
        await store.save('f', new Uint8Array(0))
        checkBytes(await store.load('f'), new Uint8Array(0), 'after overwriting with 0 B')
        await cold('f', new Uint8Array(0), 'after overwriting with 0 B')
        await store.save('f', short)
        await cold('f', short, 'after growing from 0 B to 10 B')
      }),
  },
  {
    name: 'relaxed saves round trip, also mixed with strict ones, and read back through a fresh driver',
    run: (factory) =>
      withStore(factory, async (store, _driver, cold) => {
        // Sizes that grow and shrink, durabilities that alternate: every region a layout of
        // slots may reuse is crossed, and what a relaxed save leaves unflushed is read cold.
        const steps = [
          [64 * KiB, 'relaxed'],
          [KiB, 'relaxed'],
          [100 * KiB, 'relaxed'],
          [64 * KiB, 'strict'],
          [0, 'relaxed'],
          [3000, 'relaxed'],
          [3000, 'strict'],
          [64 * KiB, 'relaxed'],
        ] as const
        for (const [i, [size, durability]] of steps.entries()) {
          const bytes = randomBytes(size)
          await store.save('r', bytes, { durability })
          const what = `after ${durability} save ${i + 1} (${size} B)`
          checkBytes(await store.load('r'), bytes, what)
          await cold('r', bytes, what)
        }
        // Un-awaited: relaxed saves behind strict ones and the other way round, coalescing by its rule.
        const payloads = Array.from({ length: 20 }, (_, i) => randomBytes(KiB + i))
        await Promise.all(
          payloads.map((bytes, i) => store.save('burst', bytes, { durability: i % 3 ? 'relaxed' : 'strict' })),
        )
        checkBytes(await store.load('burst'), payloads[19]!, 'load after a mixed burst')
        await cold('burst', payloads[19]!, 'load after a mixed burst')
      }),
  },
  {
    name: 'a missing file rejects NOT_FOUND with file and driver',
    run: (factory) =>
      withStore(factory, async (store, driver, cold) => {
        const error = (await checkRejects(store.load('missing'), 'NOT_FOUND', 'load of a missing file')) as {
          file?: string
          driver?: string
        }
        check(error.file === 'missing', `error.file is ${error.file}`)
        check(error.driver === driver.id, `error.driver is ${error.driver}, expected ${driver.id}`)
        await store.save('gone', randomBytes(5))
        await store.remove('gone')
        await checkRejects(store.load('gone'), 'NOT_FOUND', 'load after remove')
        await cold('gone', null, 'load after remove')
      }),
  },
  {
    name: 'removing a missing file resolves',
    run: (factory) => withStore(factory, (store) => store.remove('never-saved')),
  },
  {
    name: 'list returns exactly the app files',
    run: (factory) =>
      withStore(factory, async (store, _driver, cold) => {
        const first = await store.list()
        check(first.length === 0, `a fresh driver lists ${JSON.stringify(first)}`)
        for (const name of ['a', 'b c', 'ü.bin']) await store.save(name, randomBytes(3))
        const all = await store.list()
        check(sameNames(all, ['a', 'b c', 'ü.bin']), `list is ${JSON.stringify(all)}`)
        await store.remove('a')
        const after = await store.list()
        check(sameNames(after, ['b c', 'ü.bin']), `list after remove is ${JSON.stringify(after)}`)
        await cold('a', null, 'a removed file')
      }),
  },
  {
    name: 'list never shows internal files, even while a save is in flight',
    run: (factory) =>
      withStore(factory, async (store, driver) => {
        await store.save('kept', randomBytes(KiB))
        let done = false
        const saving = driver.save('big', randomBytes(16 * MiB)).finally(() => (done = true))
        const seen = new Set<string>()
        do for (const name of await driver.list()) seen.add(name)
        while (!done)
        await saving
        const extra = [...seen].filter((name) => name !== 'kept' && name !== 'big')
        check(extra.length === 0, `list showed files nobody saved: ${JSON.stringify(extra)}`)
      }),
  },
  {
    name: 'names with spaces, dots and non-ASCII letters round trip and list as given',
    run: (factory) =>
      withStore(factory, async (store, _driver, cold) => {
        const payloads = NAMES.map((name) => [name, randomBytes(16)] as const)
        for (const [name, bytes] of payloads) await store.save(name, bytes)
        for (const [name, bytes] of payloads) {
          checkBytes(await store.load(name), bytes, `load of ${JSON.stringify(name)}`)
          await cold(name, bytes, `load of ${JSON.stringify(name)}`)
        }
        const listed = await store.list()
        check(sameNames(listed, NAMES), `list is ${JSON.stringify(listed)}`)
      }),
  },
  {
    name: 'a loaded buffer belongs to the caller',
    run: (factory) =>
      withStore(factory, async (store) => {
        const bytes = randomBytes(KiB)
        await store.save('f', bytes)
        const first = await store.load('f')
        const second = await store.load('f')
        check(first.buffer !== second.buffer, 'two loads returned the same buffer')
        first.fill(0)
        checkBytes(await store.load('f'), bytes, 'load after mutating an earlier result')
      }),
  },
  {
    name: 'save stores the bytes given at call time; transfer hands the buffer over',
    run: (factory) =>
      withStore(factory, async (store, _driver, cold) => {
        const bytes = randomBytes(KiB)
        const expected = bytes.slice()
        const saving = store.save('copied', bytes)
        bytes.fill(7)
        await saving
        checkBytes(await store.load('copied'), expected, 'load after mutating the saved input')
        const handed = expected.slice()
        await store.save('moved', handed, { transfer: true })
        check(handed.buffer.byteLength === 0, 'with transfer, the caller buffer is still attached')
        checkBytes(await store.load('moved'), expected, 'load of a transferred save')
        await cold('copied', expected, 'load of a copied save')
        await cold('moved', expected, 'load of a transferred save')
      }),
  },
  {
    name: 'a Uint8Array view stores exactly its bytes, also when transferred; an ArrayBuffer is accepted',
    run: (factory) =>
      withStore(factory, async (store, _driver, cold) => {
        const whole = randomBytes(4 * KiB)
        const view = whole.subarray(100, 110)
        await store.save('view', view)
        checkBytes(await store.load('view'), whole.slice(100, 110), 'load of a saved subarray')
        const buffer = randomBytes(300).buffer
        await store.save('buffer', buffer)
        checkBytes(await store.load('buffer'), new Uint8Array(buffer), 'load of a saved ArrayBuffer')
        // A transferred view reaches the driver as a view into a larger buffer, uncopied.
        const handed = randomBytes(4 * KiB)
        const expected = handed.slice(1000, 3000)
        await store.save('handed view', handed.subarray(1000, 3000), { transfer: true })
        checkBytes(await store.load('handed view'), expected, 'load of a transferred subarray')
        await cold('view', whole.slice(100, 110), 'load of a saved subarray')
        await cold('buffer', new Uint8Array(buffer), 'load of a saved ArrayBuffer')
        await cold('handed view', expected, 'load of a transferred subarray')
      }),
  },
  {
    name: '200 un-awaited saves to one file end with the last bytes and no error',
    run: (factory) =>
      withStore(factory, async (store, _driver, cold) => {
        const payloads = Array.from({ length: 200 }, (_, i) => randomBytes(KiB + i))
        const results = await Promise.allSettled(payloads.map((bytes) => store.save('burst', bytes)))
        const failed = results.filter((result) => result.status === 'rejected')
        check(
          failed.length === 0,
          `${failed.length} of 200 saves failed, first: ${String((failed[0] as PromiseRejectedResult | undefined)?.reason)}`,
        )
        checkBytes(await store.load('burst'), payloads[199]!, 'load after the burst')
        await cold('burst', payloads[199]!, 'load after the burst')
      }),
  },
  {
    name: 'a load queued between two saves sees the first and not the second',
    run: (factory) =>
      withStore(factory, async (store, _driver, cold) => {
        const first = randomBytes(KiB)
        const second = randomBytes(2 * KiB)
        const savedFirst = store.save('f', first)
        const between = store.load('f')
        const savedSecond = store.save('f', second)
        const after = store.load('f')
        await Promise.all([savedFirst, savedSecond])
        checkBytes(await between, first, 'the load between the saves')
        checkBytes(await after, second, 'the load after both saves')
        await cold('f', second, 'the file after both saves')
      }),
  },
  {
    name: 'many files in parallel',
    run: (factory) =>
      withStore(factory, async (store) => {
        const payloads = Array.from({ length: 64 }, (_, i) => [`file-${i}`, randomBytes(64 * KiB)] as const)
        await Promise.all(payloads.map(([name, bytes]) => store.save(name, bytes)))
        const loaded = await Promise.all(payloads.map(([name]) => store.load(name)))
        for (const [i, bytes] of loaded.entries()) checkBytes(bytes, payloads[i]![1], `load of ${payloads[i]![0]}`)
        check((await store.list()).length === 64, 'list does not show the 64 files')
      }),
  },
  {
    name: 'bad names and bad data are refused before any I/O and nothing stored changes',
    run: (factory) =>
      withStore(factory, async (store, _driver, cold) => {
        const kept = randomBytes(KiB)
        await store.save('kept', kept)
        for (const name of BAD_NAMES) {
          const shown = JSON.stringify(String(name))
          await checkRejects(store.save(name as string, randomBytes(4)), 'INVALID_NAME', `save to ${shown}`)
          await checkRejects(store.load(name as string), 'INVALID_NAME', `load of ${shown}`)
          await checkRejects(store.remove(name as string), 'INVALID_NAME', `remove of ${shown}`)
        }
        for (const data of [...BAD_DATA, detachedBytes()]) {
          const shown = Object.prototype.toString.call(data)
          await checkRejects(store.save('kept', data as Uint8Array), 'INVALID_DATA', `save of ${shown}`)
        }
        checkBytes(await store.load('kept'), kept, 'the file saved before the bad calls')
        await cold('kept', kept, 'the file saved before the bad calls')
        const listed = await store.list()
        check(sameNames(listed, ['kept']), `list after the bad calls is ${JSON.stringify(listed)}`)
      }),
  },
  {
    name: 'calls take a signal: an aborted call rejects ABORTED and changes nothing, a live one works',
    run: (factory) =>
      withStore(factory, async (store, _driver, cold) => {
        const live = () => ({ signal: new AbortController().signal })
        const kept = randomBytes(KiB)
        await store.save('f', kept, live())
        checkBytes(await store.load('f', live()), kept, 'a load with a live signal')
        check(sameNames(await store.list(live()), ['f']), 'list with a live signal')
        const signal = AbortSignal.abort(new Error('gone'))
        await checkRejects(store.save('f', randomBytes(8), { signal }), 'ABORTED', 'a save whose signal had fired')
        await checkRejects(store.remove('f', { signal }), 'ABORTED', 'a remove whose signal had fired')
        await checkRejects(store.load('f', { signal }), 'ABORTED', 'a load whose signal had fired')
        await checkRejects(store.list({ signal }), 'ABORTED', 'a list whose signal had fired')
        const next = randomBytes(2 * MiB)
        const saving = store.save('f', next)
        const controller = new AbortController()
        const behind = store.remove('f', { signal: controller.signal })
        controller.abort()
        await checkRejects(behind, 'ABORTED', 'a remove aborted while it waited its turn')
        await saving
        checkBytes(await store.load('f'), next, 'the file after the aborted calls')
        await cold('f', next, 'the file after the aborted calls')
      }),
  },
  {
    name: 'close settles queued work, then every call rejects CLOSED',
    run: (factory) =>
      withStore(factory, async (store, _driver, cold) => {
        const bytes = randomBytes(KiB)
        const saving = store.save('f', bytes)
        const loading = store.load('f')
        await store.close()
        await saving
        checkBytes(await loading, bytes, 'a load queued before close')
        await checkRejects(store.load('f'), 'CLOSED', 'load after close')
        await checkRejects(store.save('f', bytes), 'CLOSED', 'save after close')
        await checkRejects(store.remove('f'), 'CLOSED', 'remove after close')
        await checkRejects(store.list(), 'CLOSED', 'list after close')
        await cold('f', bytes, 'a save queued before close')
      }),
  },
]
