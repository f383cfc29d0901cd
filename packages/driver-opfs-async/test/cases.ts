import { createStore, type ErrorCode, type StorageError, type Store } from '@stowage/core'
import { check, checkBytes, checkRejects, randomBytes } from '@stowage/core/conformance'
import { opfsAsync } from '../src/index.ts'
import { xxh32 } from '../src/xxh32.ts'
import {
  checkNothingLeaked,
  exists,
  lockPrefix,
  locksUnder,
  patch,
  rawEntries,
  rawLoad,
  rawSave,
  removeDirectory,
  stored,
  uniqueDirectory,
  until,
} from './helpers.ts'

type Driver = ReturnType<typeof opfsAsync>

/**
 * A driver over a directory of its own, and a store over it: the store is how apps reach the
 * driver, and what types its errors and refuses calls after close.
 */
async function withDriver(
  label: string,
  body: (driver: Driver, directory: string, store: Store) => Promise<void>,
  format?: 'raw',
): Promise<void> {
  const directory = uniqueDirectory(label)
  const driver = opfsAsync({ directory, format })
  const store = createStore(driver)
  try {
    await body(driver, directory, store)
  } finally {
    await store.close()
    await removeDirectory(directory)
  }
}

function checkError(error: unknown, code: ErrorCode, cause: unknown, file: string | undefined): void {
  const storageError = error as StorageError
  check(storageError.cause === cause, `the cause is ${String(storageError.cause)}, not the error the browser threw`)
  check(storageError.file === file, `error.file is ${storageError.file}, expected ${file}`)
  check(storageError.driver === 'opfs-async', `error.driver is ${storageError.driver}`)
  check(storageError.code === code, `error.code is ${storageError.code}`)
}

interface Fault {
  op: 'save' | 'load'
  target: () => object
  key: string
  error: string
  code: ErrorCode
  /** The fault strikes while a writable (and so a swap file) is open. */
  swapOpen?: boolean
}

const FAULTS: Record<string, Fault> = {
  'FileSystemDirectoryHandle.getFileHandle rejects during a save': {
    op: 'save',
    target: () => FileSystemDirectoryHandle.prototype,
    key: 'getFileHandle',
    error: 'InvalidModificationError',
    code: 'IO',
  },
  'FileSystemFileHandle.createWritable rejects NoModificationAllowedError': {
    op: 'save',
    target: () => FileSystemFileHandle.prototype,
    key: 'createWritable',
    error: 'NoModificationAllowedError',
    code: 'LOCKED',
  },
  'FileSystemWritableFileStream.write throws QuotaExceededError': {
    op: 'save',
    target: () => FileSystemWritableFileStream.prototype,
    key: 'write',
    error: 'QuotaExceededError',
    code: 'QUOTA_EXCEEDED',
    swapOpen: true,
  },
  'FileSystemWritableFileStream.close rejects': {
    op: 'save',
    target: () => FileSystemWritableFileStream.prototype,
    key: 'close',
    error: 'InvalidStateError',
    code: 'IO',
    swapOpen: true,
  },
  'FileSystemFileHandle.getFile rejects': {
    op: 'load',
    target: () => FileSystemFileHandle.prototype,
    key: 'getFile',
    error: 'NotReadableError',
    code: 'IO',
  },
  'Blob.arrayBuffer rejects during a load': {
    op: 'load',
    target: () => Blob.prototype,
    key: 'arrayBuffer',
    error: 'NotReadableError',
    code: 'IO',
  },
}

function faultCase({ op, target, key, error, code, swapOpen }: Fault): () => Promise<void> {
  return () =>
    withDriver('fault', async (driver, directory, store) => {
      const before = randomBytes(64 * 1024)
      const after = randomBytes(1000)
      await driver.save('f', before)
      const thrown = new DOMException(`${key} failed on purpose`, error)
      let swapSeen = false
      const restore = patch(target(), key, async () => {
        swapSeen = (await rawEntries(directory)).some((name) => name.endsWith('.crswap'))
        throw thrown
      })
      let failure: unknown
      try {
        failure = await checkRejects(
          op === 'save' ? store.save('f', after) : store.load('f'),
          code,
          `${op} with ${key} failing`,
        )
      } finally {
        restore()
      }
      checkError(failure, code, thrown, 'f')
      // Without a swap file in view while the writable was open, the check below would prove nothing.
      if (swapOpen) check(swapSeen, 'no swap file was visible while the writable was open')
      await checkNothingLeaked(directory)
      checkBytes(await driver.load('f'), before, 'the previous content after the failure')
      await driver.save('f', after)
      checkBytes(await driver.load('f'), after, 'a save after the failure')
      await checkNothingLeaked(directory)
    })
}

interface ProbeFault {
  target: () => object
  key: string
  value: (thrown: DOMException) => unknown
  reason: string
}

const PROBE_FAULTS: Record<string, ProbeFault> = {
  'probe rejects UNSUPPORTED when getDirectory throws SecurityError (Firefox private mode)': {
    target: () => StorageManager.prototype,
    key: 'getDirectory',
    value: (thrown) => () => {
      throw thrown
    },
    reason: 'SecurityError',
  },
  'probe rejects UNSUPPORTED when getDirectory rejects UnknownError (Safari private mode)': {
    target: () => StorageManager.prototype,
    key: 'getDirectory',
    value: (thrown) => () => Promise.reject(thrown),
    reason: 'UnknownError',
  },
  'probe rejects UNSUPPORTED when getDirectory is missing': {
    target: () => StorageManager.prototype,
    key: 'getDirectory',
    value: () => undefined,
    reason: 'getDirectory is missing',
  },
  'probe rejects UNSUPPORTED when createWritable is missing': {
    target: () => FileSystemFileHandle.prototype,
    key: 'createWritable',
    value: () => undefined,
    reason: 'createWritable is missing',
  },
}

function probeFaultCase({ target, key, value, reason }: ProbeFault): () => Promise<void> {
  return () =>
    withDriver('probe-fault', async (driver, directory) => {
      const thrown = new DOMException(`${key} failed on purpose`, reason.split(' ')[0])
      const restore = patch(target(), key, value(thrown))
      let failure: unknown
      try {
        failure = await checkRejects(driver.probe(), 'UNSUPPORTED', 'probe')
      } finally {
        restore()
      }
      const { message, cause, driver: id } = failure as StorageError
      check(message.includes(reason), `the reason ${JSON.stringify(message)} does not say ${reason}`)
      check(id === 'opfs-async', `error.driver is ${id}`)
      if (reason.endsWith('Error')) check(cause === thrown, 'the cause is not the error the browser threw')
      await checkNothingLeaked(directory)
      await driver.probe()
    })
}

/** The probe cases, which run both in a worker and on the main thread. */
export const probeCases: Record<string, () => Promise<void>> = {
  'probe resolves, leaving no probe file and no lock': () =>
    withDriver('probe', async (driver, directory) => {
      await driver.probe()
      const entries = await rawEntries(directory)
      check(entries.length === 0, `the probe left ${JSON.stringify(entries)}`)
      await checkNothingLeaked(directory)
      check((await driver.list()).length === 0, 'list shows files after a probe')
    }),
  ...Object.fromEntries(Object.entries(PROBE_FAULTS).map(([name, fault]) => [name, probeFaultCase(fault)])),
}

export const behaviourCases: Record<string, () => Promise<void>> = {
  ...Object.fromEntries(Object.entries(FAULTS).map(([name, fault]) => [name, faultCase(fault)])),
  ...probeCases,

  'names ending in .crswap are refused INVALID_NAME before any I/O': () =>
    withDriver('crswap', async (driver, directory) => {
      for (const name of ['a.crswap', 'a.1.crswap', '.crswap']) {
        for (const [op, call] of [
          ['save', () => driver.save(name, randomBytes(4))],
          ['load', () => driver.load(name)],
          ['remove', () => driver.remove(name)],
        ] as const) {
          const error = await checkRejects(call(), 'INVALID_NAME', `${op} of ${name}`)
          check((error as StorageError).file === name, `error.file is ${(error as StorageError).file}`)
        }
      }
      check(!(await exists(directory)), 'the driver touched OPFS (it created its directory) for a refused name')
    }),

  'a first save that fails before close leaves no file at all, not an empty one': () =>
    withDriver('first-save', async (driver, directory, store) => {
      await driver.save('other', randomBytes(8))
      const failure = new DOMException('injected', 'InvalidStateError')
      const restore = patch(FileSystemWritableFileStream.prototype, 'close', () => Promise.reject(failure))
      try {
        await checkRejects(store.save('fresh', randomBytes(1000)), 'IO', 'the failing first save')
      } finally {
        restore()
      }
      await checkRejects(store.load('fresh'), 'NOT_FOUND', 'load after the failed first save')
      const entries = await rawEntries(directory)
      check(JSON.stringify(entries) === '["other"]', `the directory holds ${JSON.stringify(entries)}`)
    }),

  'list shows only app files: no swap files, reserved names or subdirectories': () =>
    withDriver('list', async (driver, directory) => {
      await driver.save('mine', randomBytes(8))
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(directory)
      await dir.getFileHandle('x.crswap', { create: true })
      await dir.getFileHandle('mine.1.crswap', { create: true })
      await dir.getFileHandle('.stowage-internal', { create: true })
      await (await dir.getDirectoryHandle('sub', { create: true })).getFileHandle('inner', { create: true })
      await dir.getFileHandle('theirs', { create: true })
      const listed = (await driver.list()).sort()
      check(JSON.stringify(listed) === '["mine","theirs"]', `list is ${JSON.stringify(listed)}`)
    }),

  'a subdirectory is no file: load rejects NOT_FOUND and remove leaves it': () =>
    withDriver('subdir', async (driver, directory) => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(directory, { create: true })
      await dir.getDirectoryHandle('empty', { create: true })
      await (await dir.getDirectoryHandle('full', { create: true })).getFileHandle('inner', { create: true })
      for (const name of ['empty', 'full']) {
        await checkRejects(driver.load(name), 'NOT_FOUND', `load of the directory ${name}`)
        await driver.remove(name)
      }
      const entries = await rawEntries(directory)
      check(
        JSON.stringify(entries) === '["empty/","full/"]',
        `after remove the directory holds ${JSON.stringify(entries)}`,
      )
    }),

  'saves and removes wait for the exclusive lock another context holds; loads take it shared': () =>
    withDriver('lock', async (driver, directory, store) => {
      const first = randomBytes(100)
      const second = randomBytes(200)
      await driver.save('f', first)
      const name = `${lockPrefix(directory)}f`
      const hold = async (mode: LockMode) => {
        let release!: () => void
        const held = navigator.locks.request(name, { mode }, () => new Promise<void>((resolve) => (release = resolve)))
        await until(async () => (await locksUnder(name)).some((lock) => lock.state === 'held'), `${name} is held`)
        return {
          release: () => {
            release()
            return held
          },
        }
      }
      const pending = async () =>
        (await locksUnder(name)).filter((lock) => lock.state === 'pending').map((lock) => lock.mode)

      const exclusive = await hold('exclusive')
      const saving = driver.save('f', second)
      const loading = driver.load('f')
      const removing = driver.remove('f')
      await until(
        async () => (await pending()).join() === 'exclusive,shared,exclusive',
        'save, load and remove wait in order',
      )
      checkBytes(await rawLoad(directory, 'f'), stored(first), 'the file while the save waits for the lock')
      await exclusive.release()
      await saving
      checkBytes(await loading, second, 'the load queued between the save and the remove')
      await removing
      await checkRejects(store.load('f'), 'NOT_FOUND', 'load after the remove')

      await driver.save('f', first)
      const shared = await hold('shared')
      checkBytes(await driver.load('f'), first, 'a load while another context reads')
      const overwriting = driver.save('f', second)
      await until(async () => (await pending()).join() === 'exclusive', 'the save waits for the reader')
      await shared.release()
      await overwriting
      checkBytes(await driver.load('f'), second, 'load after the reader let go')
      await checkNothingLeaked(directory)
    }),

  'close waits for work in flight, then every call rejects CLOSED': () =>
    withDriver('close', async (_driver, directory, store) => {
      const bytes = randomBytes(4 * 1024 * 1024)
      let saved = false
      const saving = store.save('f', bytes).then(() => (saved = true))
      await store.close()
      check(saved, 'close resolved before the save in flight had landed')
      await saving
      checkBytes(await rawLoad(directory, 'f'), stored(bytes), 'the file saved while closing')
      await checkNothingLeaked(directory)
      for (const [op, call] of [
        ['load', () => store.load('f')],
        ['save', () => store.save('f', bytes)],
        ['remove', () => store.remove('f')],
        ['list', () => store.list()],
      ] as const) {
        await checkRejects(call(), 'CLOSED', `${op} after close`)
      }
      await store.close()
    }),

  'swap files a crash left behind, even the 100 that block every createWritable, are cleared by the next save': () =>
    withDriver('swaps', async (first, directory) => {
      const old = randomBytes(100)
      await first.save('f', old)
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(directory)
      // What SIGKILLs mid-save leave (seen in the crash trials): swap files nobody will close.
      const leaked = ['f.crswap', ...Array.from({ length: 99 }, (_, n) => `f.${n + 1}.crswap`)]
      for (const name of leaked) await rawSave(directory, name, randomBytes(10))
      const others = ['g.crswap', 'f.x.crswap', 'ff.crswap']
      for (const name of others) await dir.getFileHandle(name, { create: true })
      const blocked = await (await dir.getFileHandle('f')).createWritable().then(
        (writable) => writable.abort().then(() => 'opened'),
        (error: DOMException) => error.name,
      )
      check(blocked === 'AbortError', `with 100 leaked swap files a raw createWritable gave ${blocked}, not AbortError`)

      const next = opfsAsync({ directory })
      try {
        const bytes = randomBytes(1000)
        await next.save('f', bytes)
        checkBytes(await next.load('f'), bytes, 'load after the save that swept')
      } finally {
        await next.close()
      }
      const left = (await rawEntries(directory)).filter((name) => name.endsWith('.crswap')).sort()
      check(JSON.stringify(left) === JSON.stringify([...others].sort()), `swap files left: ${JSON.stringify(left)}`)
    }),

  'the sweep leaves a swap file in use by a live writable, and a staged file whose save is alive; the save meets the writable LOCKED':
    () =>
      withDriver('sweep-live', async (driver, directory) => {
        await driver.save('f', randomBytes(10))
        const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(directory)
        const theirs = randomBytes(300)
        const writable = await (await dir.getFileHandle('f')).createWritable()
        await writable.write(theirs)
        await rawSave(directory, '.stowage-new-dead', randomBytes(10))
        await rawSave(directory, '.stowage-new-alive', randomBytes(10))
        let release!: () => void
        const alive = navigator.locks.request(
          `${lockPrefix(directory)}.stowage-new-alive`,
          () => new Promise<void>((resolve) => (release = resolve)),
        )
        const next = createStore(opfsAsync({ directory }))
        try {
          // Stowage's own writers wait for each other's lock; a writable opened around it holds the file.
          await checkRejects(
            next.save('f', randomBytes(20)),
            'LOCKED',
            'a save while a foreign writable is open on the file',
          )
        } finally {
          await next.close()
          release()
          await alive
        }
        const staged = (await rawEntries(directory)).filter((name) => name.startsWith('.stowage-new-'))
        check(JSON.stringify(staged) === '[".stowage-new-alive"]', `staged files left: ${JSON.stringify(staged)}`)
        await writable.close()
        checkBytes(await rawLoad(directory, 'f'), theirs, 'the live writable closed over the file')
      }),

  'a remove takes the file off its name before deleting it; what a failed delete or a kill leaves is debris the next driver clears':
    () =>
      withDriver('discard', async (first, directory) => {
        await first.save('f', randomBytes(100))
        await first.save('g', randomBytes(100))
        // Firefox deletes a file's bytes before its entry: removing 'f' in place, a kill in between left it empty.
        const removeEntry = FileSystemDirectoryHandle.prototype.removeEntry
        const restore = patch(
          FileSystemDirectoryHandle.prototype,
          'removeEntry',
          function (this: FileSystemDirectoryHandle, name: string) {
            return name.startsWith('.stowage-gone-')
              ? Promise.reject(new DOMException('killed here', 'AbortError'))
              : removeEntry.call(this, name)
          },
        )
        try {
          await first.remove('f')
        } finally {
          restore()
        }
        await checkRejects(first.load('f'), 'NOT_FOUND', 'load after the remove whose delete failed')
        const debris = (await rawEntries(directory)).filter((name) => name.startsWith('.stowage-gone-'))
        check(debris.length === 1, `the removed file's debris: ${JSON.stringify(debris)}`)
        const next = createStore(opfsAsync({ directory }))
        try {
          check(JSON.stringify(await next.list()) === '["g"]', 'list beside the debris')
          await next.save('g', randomBytes(10))
        } finally {
          await next.close()
        }
        const entries = await rawEntries(directory)
        check(JSON.stringify(entries) === '["g"]', `after the next save the directory holds ${JSON.stringify(entries)}`)
      }),

  'bytes a crash left only under the ready name load and list as the file, and the next remove settles them': () =>
    withDriver('ready-only', async (first, directory) => {
      await first.save('f', randomBytes(100))
      // Firefox's move deletes the target before it renames: a crash in between leaves this.
      const newest = randomBytes(300)
      await rawSave(`${directory}/.stowage-ready`, 'f', stored(newest))
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(directory)
      await dir.removeEntry('f')
      const next = createStore(opfsAsync({ directory }))
      try {
        checkBytes(await next.load('f'), newest, 'load with only the ready file there')
        const listed = await next.list()
        check(JSON.stringify(listed) === '["f"]', `list is ${JSON.stringify(listed)}`)
        await next.remove('f')
        await checkRejects(next.load('f'), 'NOT_FOUND', 'load after remove')
      } finally {
        await next.close()
      }
      const entries = await rawEntries(directory)
      check(JSON.stringify(entries) === '[]', `after remove the directory holds ${JSON.stringify(entries)}`)
    }),

  'a ready file beside a torn file (Firefox, killed in the last move) is what loads, until the next save settles it':
    () =>
      withDriver('ready-beside', async (first, directory) => {
        await first.save('f', randomBytes(100))
        const newest = randomBytes(300)
        await rawSave(`${directory}/.stowage-ready`, 'f', stored(newest))
        await rawSave(directory, 'f', new Uint8Array(0))
        const next = opfsAsync({ directory })
        try {
          checkBytes(await next.load('f'), newest, 'load with the ready file beside the emptied file')
          const bytes = randomBytes(50)
          await next.save('f', bytes)
          checkBytes(await next.load('f'), bytes, 'load after the next save')
        } finally {
          await next.close()
        }
        const entries = await rawEntries(directory)
        check(JSON.stringify(entries) === '["f"]', `after the save the directory holds ${JSON.stringify(entries)}`)
      }),

  'when the last move fails the save rejects, the file keeps its previous bytes and no ready file is left': () =>
    withDriver('last-move', async (first, directory) => {
      const previous = randomBytes(100)
      await first.save('f', previous)
      // A driver's first save is staged in every browser (later ones only where close() is not atomic).
      const driver = createStore(opfsAsync({ directory }))
      const failure = new DOMException('move failed on purpose', 'InvalidModificationError')
      const move = (
        FileSystemFileHandle.prototype as unknown as {
          move: (dir: FileSystemDirectoryHandle, name: string) => Promise<void>
        }
      ).move
      const restore = patch(
        FileSystemFileHandle.prototype,
        'move',
        function (this: FileSystemFileHandle, dir: FileSystemDirectoryHandle, name: string) {
          return name === 'f' ? Promise.reject(failure) : move.call(this, dir, name)
        },
      )
      try {
        const error = await driver.save('f', randomBytes(300)).then(
          () => undefined,
          (thrown: unknown) => thrown,
        )
        checkError(error, 'IO', failure, 'f')
      } finally {
        restore()
      }
      checkBytes(await driver.load('f'), previous, 'load after the failed save')
      await driver.close()
      const entries = await rawEntries(directory)
      check(JSON.stringify(entries) === '["f"]', `the directory holds ${JSON.stringify(entries)}`)
      await checkNothingLeaked(directory)
    }),

  'where a swap file is renamed in on close (Chromium), saves of an existing file write it directly': () =>
    withDriver('direct', async (driver) => {
      await driver.save('f', randomBytes(10))
      const created: string[] = []
      const getFileHandle = FileSystemDirectoryHandle.prototype.getFileHandle
      const restore = patch(
        FileSystemDirectoryHandle.prototype,
        'getFileHandle',
        function (this: FileSystemDirectoryHandle, name: string, options?: FileSystemGetFileOptions) {
          if (options?.create) created.push(name)
          return getFileHandle.call(this, name, options)
        },
      )
      try {
        const bytes = randomBytes(20)
        await driver.save('f', bytes)
        checkBytes(await driver.load('f'), bytes, 'load after the direct save')
      } finally {
        restore()
      }
      check(created.length === 0, `the second save created ${JSON.stringify(created)}`)
    }),

  'a save recreates the directory when it was deleted under the driver': () =>
    withDriver('vanished', async (driver, directory, store) => {
      await driver.save('f', randomBytes(10))
      await removeDirectory(directory)
      await checkRejects(store.load('f'), 'NOT_FOUND', 'load once the directory is gone')
      check((await driver.list()).length === 0, 'list of a deleted directory is not empty')
      const bytes = randomBytes(10)
      await driver.save('f', bytes)
      checkBytes(await driver.load('f'), bytes, 'load after saving into the recreated directory')
    }),

  'xxh32 gives the values of its specification': async () => {
    const text = new TextEncoder()
    for (const [input, hash] of [
      ['', 0x02cc5d05],
      ['a', 0x550d7456],
      ['abc', 0x32d153ff],
      ['Nobody inspects the spammish repetition', 0xe2293b2f],
    ] as const) {
      check(xxh32(text.encode(input)) === hash, `xxh32(${JSON.stringify(input)}) is ${xxh32(text.encode(input))}`)
    }
    const bytes = randomBytes(1000)
    const within = new Uint8Array(1003)
    within.set(bytes, 3)
    check(xxh32(within.subarray(3)) === xxh32(bytes), 'a view at an odd offset hashes as its own bytes')
  },

  'what a power cut leaves of a file (empty, short, zeroed, mixed, longer) loads CORRUPT, never as data': () =>
    withDriver('torn', async (driver, directory, store) => {
      // Both ways the format is read: a small file in one piece, a large one header and bytes apart.
      for (const size of [10_000, 300_000]) {
        const saved = randomBytes(size)
        await driver.save('f', saved)
        const whole = stored(saved)
        const torn: Record<string, Uint8Array<ArrayBuffer>> = {
          empty: new Uint8Array(0),
          'half a header': whole.slice(0, 8),
          'only the header': whole.slice(0, 16),
          short: whole.slice(0, size / 2),
          'zeroed bytes under the header': stored(saved).fill(0, 16),
          'zeroed throughout': new Uint8Array(whole.length),
          "another save's bytes under the header": (() => {
            const mixed = stored(randomBytes(size))
            mixed.set(whole.subarray(0, 16))
            return mixed
          })(),
          'one byte flipped': (() => {
            const flipped = stored(saved)
            flipped[size - 1000] = flipped[size - 1000]! ^ 1
            return flipped
          })(),
          'longer than its header says': new Uint8Array([...whole, 0, 0, 0, 0]),
        }
        for (const [state, bytes] of Object.entries(torn)) {
          await rawSave(directory, 'f', bytes)
          await checkRejects(store.load('f'), 'CORRUPT', `load of the file of ${size} B ${state}`)
          const fresh = opfsAsync({ directory })
          await checkRejects(fresh.load('f'), 'CORRUPT', `load of the file of ${size} B ${state} through a new driver`)
          await fresh.close()
        }
        const next = randomBytes(size)
        await store.save('f', next)
        checkBytes(await store.load('f'), next, `load after the next save of ${size} B`)
      }
    }),

  "format 'raw' stores exactly the bytes and loads whatever the file holds": () =>
    withDriver(
      'raw',
      async (driver, directory) => {
        const bytes = randomBytes(5000)
        await driver.save('f', bytes)
        checkBytes(await rawLoad(directory, 'f'), bytes, 'the stored file')
        const torn = bytes.slice(0, 100)
        await rawSave(directory, 'f', torn)
        checkBytes(await driver.load('f'), torn, 'a short file, as raw bytes')
      },
      'raw',
    ),
}
