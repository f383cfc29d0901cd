import { createStore, isStorageError, type ErrorCode, type StorageError } from '@stowage/core'
import { check, checkBytes, conformanceCases, randomBytes } from '@stowage/core/conformance'
import { serveCases } from '@stowage/browsers/worker'
import { opfsSync } from '../src/index.ts'
import { DATA_START, encodeHeader, nextSlot } from '../src/slots.ts'

async function freshDirectory(): Promise<string> {
  return `test-opfs-sync-${crypto.randomUUID()}`
}

async function removeDirectory(directory: string): Promise<void> {
  await (await navigator.storage.getDirectory()).removeEntry(directory, { recursive: true }).catch(() => undefined)
}

const factory = async () => {
  const directory = await freshDirectory()
  const driver = opfsSync({ directory })
  return {
    driver,
    reopen: () => opfsSync({ directory }),
    teardown: async () => {
      await driver.close()
      await removeDirectory(directory)
    },
  }
}

/** The driver of `turn`, kept from one turn to the next as an app's would be. */
let turnsDriver: ReturnType<typeof opfsSync> | undefined

/** Replaces a method of a real browser prototype for the length of `body`. */
// biome-ignore lint/suspicious/noExplicitAny: each replacement passes the original the browser's own arguments.
type Method = (...args: any[]) => unknown

async function patched<T>(
  proto: object,
  method: string,
  replacement: (original: Method) => Method,
  body: () => Promise<T>,
): Promise<T> {
  const original = (proto as Record<string, Method>)[method]!
  ;(proto as Record<string, unknown>)[method] = replacement(original)
  try {
    return await body()
  } finally {
    ;(proto as Record<string, unknown>)[method] = original
  }
}

async function rejection(promise: Promise<unknown>, code: ErrorCode): Promise<StorageError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  )
  check(isStorageError(outcome, code), `expected ${code}, got ${outcome === undefined ? 'success' : String(outcome)}`)
  return outcome as StorageError
}

async function heldLocks(directory: string): Promise<string[]> {
  const { held = [] } = await navigator.locks.query()
  return held.map((lock) => lock.name ?? '').filter((name) => name.startsWith(`stowage:opfs:${directory}/`))
}

/**
 * Saves A, runs `fail` (which must make a save or load fail with `code`), then proves: the
 * failure carried the browser's error as cause, no lock is left held, a fresh driver reading
 * the disk still loads A, and the next save on the file succeeds.
 */
async function faultCase(
  code: ErrorCode,
  fail: (store: ReturnType<typeof createStore>) => Promise<unknown>,
  fromBrowser = true,
): Promise<void> {
  const directory = await freshDirectory()
  // Idle leases go back within the 300 ms a case may wait for a handle to be asked for anew.
  const driver = opfsSync({ directory, idleMs: 50 })
  const store = createStore(driver)
  const previous = randomBytes(64 * 1024)
  try {
    await store.save('f', previous)
    const error = await rejection(fail(store), code)
    check(error.file === 'f' && error.driver === 'opfs-sync', `error names ${error.file} / ${error.driver}`)
    if (fromBrowser) check(error.cause instanceof DOMException, `cause is ${String(error.cause)}`)
    const locks = await heldLocks(directory)
    check(locks.length === 0, `locks still held after the failure: ${locks.join(', ')}`)
    await store.close()
    const fresh = createStore(opfsSync({ directory }))
    checkBytes(await fresh.load('f'), previous, 'a fresh driver loading after the failure')
    const next = randomBytes(1000)
    await fresh.save('f', next)
    checkBytes(await fresh.load('f'), next, 'the save after the failure')
    await fresh.close()
  } finally {
    await store.close()
    await removeDirectory(directory)
  }
}

const Sync = FileSystemSyncAccessHandle.prototype
const domError = (name: string) => new DOMException(`injected ${name}`, name)

serveCases({
  ...Object.fromEntries(conformanceCases.map((testCase) => [`kit: ${testCase.name}`, () => testCase.run(factory)])),

  'fault: a data write that hits the quota, reported with the size asked': () =>
    faultCase('QUOTA_EXCEEDED', async (store) => {
      const saving = patched(
        Sync,
        'write',
        (write) =>
          function (this: FileSystemSyncAccessHandle, data: Uint8Array, options: { at: number }) {
            if (options.at >= DATA_START) throw domError('QuotaExceededError')
            return write.call(this, data, options)
          },
        () => store.save('f', randomBytes(100_000)),
      )
      const error = await saving.catch((e: StorageError) => e)
      // The origin has far more room than 98 KiB, so the estimate stays out of the message.
      check(
        (error as StorageError).message === 'f: the browser refused to store 98 KiB',
        `message: ${(error as StorageError).message}`,
      )
      throw error
    }),

  'fault: a header write torn halfway': () =>
    faultCase('IO', (store) =>
      patched(
        Sync,
        'write',
        (write) =>
          function (this: FileSystemSyncAccessHandle, data: Uint8Array, options: { at: number }) {
            if (options.at >= DATA_START) return write.call(this, data, options)
            write.call(this, data.subarray(0, 20), options)
            throw domError('InvalidStateError')
          },
        () => store.save('f', randomBytes(100_000)),
      ),
    ),

  'fault: a write that stores nothing': () =>
    faultCase(
      'IO',
      (store) =>
        patched(
          Sync,
          'write',
          () => () => 0,
          () => store.save('f', randomBytes(10)),
        ),
      false,
    ),

  'fault: the flush between data and header': () =>
    faultCase('IO', (store) =>
      patched(
        Sync,
        'flush',
        () => () => {
          throw domError('InvalidStateError')
        },
        () => store.save('f', randomBytes(5000)),
      ),
    ),

  'fault: createSyncAccessHandle refused as taken': () =>
    faultCase('LOCKED', (store) =>
      patched(
        FileSystemFileHandle.prototype,
        'createSyncAccessHandle',
        () => () => Promise.reject(domError('NoModificationAllowedError')),
        async () => {
          // The save that made the lease must have given it back for a new handle to be asked for.
          await new Promise((resolve) => setTimeout(resolve, 300))
          return store.save('f', randomBytes(10))
        },
      ),
    ),

  'fault: a read that fails during load': () =>
    faultCase('IO', (store) =>
      patched(
        Sync,
        'read',
        () => () => {
          throw domError('InvalidStateError')
        },
        () => store.load('f'),
      ),
    ),

  'a file with no intact header loads as CORRUPT, not as data': async () => {
    const directory = await freshDirectory()
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(directory, { create: true })
    const handle = await dir.getFileHandle('foreign.bin', { create: true })
    const access = await handle.createSyncAccessHandle()
    access.write(randomBytes(500), { at: 0 })
    access.close()
    const store = createStore(opfsSync({ directory }))
    try {
      await rejection(store.load('foreign.bin'), 'CORRUPT')
    } finally {
      await store.close()
      await removeDirectory(directory)
    }
  },

  'a file that an empty first save left at 64 bytes loads as empty, and the next save works': async () => {
    const directory = await freshDirectory()
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(directory, { create: true })
    const handle = await dir.getFileHandle('empty.bin', { create: true })
    const access = await handle.createSyncAccessHandle()
    // Byte for byte what versions up to 0.1 wrote for an empty first save: header 0, and nothing after it.
    access.write(encodeHeader(nextSlot(undefined, 0)), { at: 0 })
    access.close()
    const store = createStore(opfsSync({ directory }))
    try {
      checkBytes(await store.load('empty.bin'), new Uint8Array(0), 'the stuck file')
      const next = randomBytes(100)
      await store.save('empty.bin', next)
      await store.close()
      const fresh = createStore(opfsSync({ directory }))
      checkBytes(await fresh.load('empty.bin'), next, 'the next save, read through a fresh driver')
      await fresh.close()
    } finally {
      await store.close()
      await removeDirectory(directory)
    }
  },

  'a missing file, loaded on the driver itself, rejects NOT_FOUND with the browser error as cause': async () => {
    const directory = await freshDirectory()
    const driver = opfsSync({ directory })
    try {
      const error = await rejection(driver.load('absent'), 'NOT_FOUND')
      check(error.cause instanceof DOMException, `cause is ${String(error.cause)}`)
    } finally {
      await driver.close()
      await removeDirectory(directory)
    }
  },

  // Without a store in front (a probe, a host of its own), only the driver orders calls on one
  // file. Two saves that both find the lease open would run on it at once: with leases.serial
  // taken out, this pair, both acknowledged, left the file holding the bytes from before both.
  'overlapping saves on one file, made on the driver itself, never mix their bytes': async () => {
    const directory = await freshDirectory()
    const driver = opfsSync({ directory })
    try {
      await driver.save('f', randomBytes(16))
      const big = randomBytes(4 * 1024 * 1024)
      const small = randomBytes(64 * 1024)
      // Both find the lease the first save left open, so both would run on it at once.
      await Promise.all([driver.save('f', small), driver.save('f', big)])
      await driver.close()
      const fresh = createStore(opfsSync({ directory }))
      checkBytes(await fresh.load('f'), big, 'the file after the overlapping saves')
      await fresh.close()
    } finally {
      await driver.close()
      await removeDirectory(directory)
    }
  },

  'a remove takes the file off its name before deleting it; what a failed delete leaves, the next driver clears at its first remove':
    async () => {
      const directory = await freshDirectory()
      const store = createStore(opfsSync({ directory }))
      try {
        await store.save('f', randomBytes(100))
        await store.save('g', randomBytes(100))
        await store.save('h', randomBytes(100))
        // Firefox deletes a file's bytes before its entry: removed in place, a kill in between left 'f' empty under its name.
        await patched(
          FileSystemDirectoryHandle.prototype,
          'removeEntry',
          (removeEntry) =>
            function (this: FileSystemDirectoryHandle, name: string) {
              return name.startsWith('.stowage-gone-')
                ? Promise.reject(domError('AbortError'))
                : removeEntry.call(this, name)
            },
          () => store.remove('f'),
        )
        await rejection(store.load('f'), 'NOT_FOUND')
        const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(directory)
        const debris = (await names(dir)).filter((name) => name.startsWith('.stowage-gone-'))
        check(debris.length === 1, `the removed file's debris: ${JSON.stringify(debris)}`)
        check(JSON.stringify((await store.list()).sort()) === '["g","h"]', 'list beside the debris')
        await store.close()
        const next = createStore(opfsSync({ directory }))
        await next.remove('g')
        await next.close()
        const left = (await names(dir)).filter((name) => !name.startsWith('.stowage-probe'))
        check(JSON.stringify(left) === '["h"]', `after the next driver's first remove the directory holds ${left}`)
      } finally {
        await store.close()
        await removeDirectory(directory)
      }
    },

  'the handle and lock are given back once the file is idle': async () => {
    const directory = await freshDirectory()
    const store = createStore(opfsSync({ directory, idleMs: 50 }))
    try {
      await store.save('f', randomBytes(10))
      check((await heldLocks(directory)).length === 1, 'no lock held right after a save')
      await new Promise((resolve) => setTimeout(resolve, 200))
      check((await heldLocks(directory)).length === 0, 'the lock is still held after the idle time')
    } finally {
      await store.close()
      await removeDirectory(directory)
    }
  },

  'a start after the first creates and removes no file, and holds no lock or handle after its probe': async () => {
    const directory = await freshDirectory()
    try {
      await opfsSync({ directory }).probe()
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(directory)
      const before = await names(dir)
      const churn: string[] = []
      await patched(
        FileSystemDirectoryHandle.prototype,
        'removeEntry',
        (removeEntry) =>
          function (this: FileSystemDirectoryHandle, name: string) {
            churn.push(`removed ${name}`)
            return removeEntry.call(this, name)
          },
        () =>
          patched(
            FileSystemDirectoryHandle.prototype,
            'getFileHandle',
            (getFileHandle) =>
              function (this: FileSystemDirectoryHandle, name: string, options?: FileSystemGetFileOptions) {
                if (options?.create && !before.includes(name)) churn.push(`created ${name}`)
                return getFileHandle.call(this, name, options)
              },
            async () => {
              for (let start = 0; start < 3; start++) await opfsSync({ directory }).probe()
            },
          ),
      )
      check(churn.length === 0, `later starts changed the directory: ${churn.join(', ')}`)
      check(JSON.stringify(await names(dir)) === JSON.stringify(before), `the directory holds ${await names(dir)}`)
      check((await heldLocks(directory)).length === 0, 'a probe kept its lock')
      check((await opfsSync({ directory }).list()).length === 0, 'the probe file lists')
    } finally {
      await removeDirectory(directory)
    }
  },

  /** Probes `count` times in a row in this worker; another worker does the same at once. */
  probes: async (directory: string, count: number) => {
    for (let i = 0; i < count; i++) await opfsSync({ directory }).probe()
  },

  /** One side of the contention test: `count` saves to one shared file, most of them un-awaited. */
  burst: async (directory: string, tag: string, count: number) => {
    const driver = opfsSync({ directory })
    const errors: string[] = []
    const started = performance.now()
    const saves: Promise<void>[] = []
    for (let i = 0; i < count; i++) {
      const save = driver
        .save('shared', payload(tag, i))
        .catch((error: { name?: string; code?: string; message?: string }) => {
          errors.push(`${error.name} ${error.code ?? ''} ${error.message}`)
        })
      saves.push(save)
      if (i % 50 === 49) await save
    }
    await Promise.all(saves)
    const ms = performance.now() - started
    await driver.close()
    return { errors, ms }
  },

  /** One turn of two workers saving one file by turns, on a driver kept for the turns, whose idle leases would stay a minute. */
  turn: async (directory: string, i: number) => {
    turnsDriver ??= opfsSync({ directory, idleMs: 60_000 })
    await turnsDriver.save('shared', payload('T', i))
  },

  endTurns: async () => {
    await turnsDriver?.close()
    turnsDriver = undefined
  },

  loadShared: async (directory: string) => {
    const driver = opfsSync({ directory })
    try {
      return new TextDecoder().decode((await driver.load('shared')).subarray(0, 32)).replace(/\0+$/, '')
    } finally {
      await driver.close()
    }
  },

  removeDirectory,
})

async function names(dir: FileSystemDirectoryHandle): Promise<string[]> {
  const found: string[] = []
  for await (const name of dir.keys()) found.push(name)
  return found.sort()
}

function payload(tag: string, i: number): Uint8Array {
  const bytes = new Uint8Array(16 * 1024)
  bytes.set(new TextEncoder().encode(`${tag}-${i}`))
  return bytes
}
