import { isStorageError, StorageError } from '@stowage/core'
import { check, checkBytes, randomBytes } from '@stowage/core/conformance'
import { connect, type Change, type Client } from '../src/index.ts'
import { VERSION, type Reply } from '../src/protocol.ts'

/** Page-side test bodies: plain async functions, so any launcher can host them. */

export function worker(name: 'opfs' | 'none' | 'idle' | 'tiers', params: Record<string, string> = {}): Worker {
  const url = {
    opfs: new URL('./opfs.worker.ts', import.meta.url),
    tiers: new URL('./tiers.worker.ts', import.meta.url),
    none: new URL('./none.worker.ts', import.meta.url),
    idle: new URL('./idle.worker.ts', import.meta.url),
  }[name]
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
  return new Worker(url, { type: 'module' })
}

async function withClient(
  body: (client: Client, directory: string) => Promise<void>,
  params: Record<string, string> = {},
): Promise<void> {
  const directory = `test-worker-host-${crypto.randomUUID()}`
  const client = connect(worker('opfs', { directory, ...params }))
  try {
    await body(client, directory)
  } finally {
    await client.close().catch(() => undefined)
    await (await navigator.storage.getDirectory()).removeEntry(directory, { recursive: true }).catch(() => undefined)
  }
}

async function rejection(promise: Promise<unknown>): Promise<StorageError> {
  const outcome = await promise.then(
    () => new Error('it resolved'),
    (error: unknown) => error,
  )
  check(outcome instanceof StorageError, `expected a StorageError instance, got ${String(outcome)}`)
  return outcome
}

const until = async (condition: () => boolean, what: string, ms = 5000) => {
  const deadline = performance.now() + ms
  while (!condition()) {
    check(performance.now() < deadline, `timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Holds the Web Lock `name` from this page, as a tab that never lets go would; resolves once held, with its release. */
async function holdLock(name: string): Promise<() => void> {
  let release!: () => void
  await new Promise<void>((held) => {
    void navigator.locks.request(name, () => {
      held()
      return new Promise<void>((done) => (release = done))
    })
  })
  return release
}

const LOCK_BOUND_MS = 300

/**
 * A file's lock held by another context that never lets go: calls end LOCKED within the bound,
 * naming the file and the holder; the call behind them goes on; once the lock is free the file
 * is as it was, and the next call works.
 */
const lockNeverGivenBack = (only?: 'opfs-async') =>
  withClient(
    async (client, directory) => {
      const before = randomBytes(1000)
      await client.save('held', before)
      const release = await holdLock(`stowage:opfs:${directory}/held`)
      const started = performance.now()
      const stuck = rejection(client.save('held', randomBytes(1000)))
      const behind = rejection(client.load('held'))
      const error = await stuck
      const waited = performance.now() - started
      check(
        error.code === 'LOCKED' && error.file === 'held' && /holds/.test(error.message),
        `a save under a held lock: ${error.code} ${error.file}: ${error.message}`,
      )
      check(waited >= LOCK_BOUND_MS * 0.9, `it gave up after ${waited} ms, before the ${LOCK_BOUND_MS} ms bound`)
      check((await behind).code === 'LOCKED', 'the load queued behind it did not get its own turn')
      release()
      checkBytes(await client.load('held'), before, 'the file once the lock was free')
      const after = randomBytes(2000)
      await client.save('held', after)
      checkBytes(await client.load('held'), after, 'a save once the lock was free')
      if (only) check((await client.info()).driver === only, `served by ${(await client.info()).driver}`)
    },
    { lockTimeoutMs: String(LOCK_BOUND_MS), ...(only && { only }) },
  )

export const clientCases: Record<string, () => Promise<void>> = {
  'info names the serving driver and its probe': () =>
    withClient(async (client) => {
      const info = await client.info()
      check(info.driver === 'opfs-sync' || info.driver === 'opfs-async', `driver is ${info.driver}`)
      const served = info.probes[info.probes.length - 1]
      check(
        served?.id === info.driver && served.ok,
        `the last probe is not the serving driver: ${JSON.stringify(info.probes)}`,
      )
      check(
        info.probes.slice(0, -1).every((probe) => !probe.ok && probe.reason),
        `an earlier probe has no reason: ${JSON.stringify(info.probes)}`,
      )
      // createWritable offers no flush; a sync access handle does.
      check(info.flushes === (info.driver === 'opfs-sync'), `flushes is ${info.flushes} on ${info.driver}`)
      check(typeof info.persisted === 'boolean', `persisted is ${info.persisted}`)
      check(
        typeof info.usage === 'number' && typeof info.quota === 'number' && info.quota > 0,
        `usage/quota are ${info.usage}/${info.quota}`,
      )
    }),

  'persist asks the browser and reports its answer': () =>
    withClient(async (client) => {
      const granted = await client.persist()
      check(typeof granted === 'boolean', `persist resolved ${String(granted)}`)
      check(
        (await client.info()).persisted === (await navigator.storage.persisted()),
        'info does not report what the browser says',
      )
    }),

  'bytes round trip through the worker, and loads arrive as the caller’s own Uint8Array': () =>
    withClient(async (client) => {
      const bytes = randomBytes(1024 * 1024)
      await client.save('a.bin', bytes)
      const loaded = await client.load('a.bin')
      check(loaded instanceof Uint8Array, 'load did not return a Uint8Array')
      checkBytes(loaded, bytes, 'the loaded bytes')
      check(JSON.stringify(await client.list()) === '["a.bin"]', 'list does not show a.bin')
      await client.remove('a.bin')
      check((await client.list()).length === 0, 'list still shows a.bin after remove')
    }),

  'errors cross the boundary as StorageError instances with code, file, driver and cause': () =>
    withClient(async (client) => {
      const error = await rejection(client.load('missing.bin'))
      check(error.code === 'NOT_FOUND', `code is ${error.code}`)
      check(error.file === 'missing.bin', `file is ${error.file}`)
      check(error.driver === (await client.info()).driver, `driver is ${error.driver}`)
      check(isStorageError(error, 'NOT_FOUND'), 'isStorageError does not recognise it')
      const cause = error.cause as Error
      check(
        cause instanceof Error && cause.name === 'NotFoundError' && cause.message.length > 0,
        `cause is ${String(cause)}`,
      )
    }),

  'bad names and data are refused on the page, before anything is sent or detached': () =>
    withClient(async (client) => {
      const bytes = randomBytes(64)
      check(
        (await rejection(client.save('a/b', bytes, { transfer: true }))).code === 'INVALID_NAME',
        'a/b was not refused',
      )
      check(bytes.buffer.byteLength === 64, 'a refused save detached the caller’s buffer')
      check((await rejection(client.save('ok', 'text' as never))).code === 'INVALID_DATA', 'a string was not refused')
      check((await rejection(client.load('..'))).code === 'INVALID_NAME', '.. was not refused')
    }),

  'anything another poster sends gets a typed error, and nothing stored changes': async () => {
    const directory = `test-worker-host-${crypto.randomUUID()}`
    const target = worker('opfs', { directory })
    const client = connect(target)
    try {
      const kept = randomBytes(32)
      await client.save('kept', kept)
      const replies = new Map<number, Reply>()
      target.addEventListener('message', ({ data }: MessageEvent<Reply>) => {
        if (data?.stowage === VERSION && 'id' in data) replies.set(data.id, data)
      })
      const sent: [Record<string, unknown>, string][] = [
        [{ op: 'save', file: 'a/b', data: randomBytes(4) }, 'INVALID_NAME'],
        [{ op: 'save', file: 'kept', data: 'text' }, 'INVALID_DATA'],
        [{ op: 'save', file: 'kept', data: null }, 'INVALID_DATA'],
        [{ op: 'load', file: 42 }, 'INVALID_NAME'],
        [{ op: 'remove', file: '.stowage-x' }, 'INVALID_NAME'],
        [{ op: 'constructor' }, 'IO'],
        [{ op: 'nonsense', file: 'kept' }, 'IO'],
      ]
      for (const [index, [message]] of sent.entries())
        target.postMessage({ ...message, stowage: VERSION, id: -1 - index })
      await until(() => replies.size === sent.length, 'a reply to every foreign message')
      for (const [index, [message, code]] of sent.entries()) {
        const { error } = replies.get(-1 - index)!
        check(error?.code === code, `${JSON.stringify(message)} got ${JSON.stringify(error ?? 'no error')}`)
      }
      checkBytes(await client.load('kept'), kept, 'the stored file after the foreign messages')
      check(JSON.stringify(await client.list()) === '["kept"]', 'list after the foreign messages')
    } finally {
      await client.close().catch(() => undefined)
      await (await navigator.storage.getDirectory()).removeEntry(directory, { recursive: true }).catch(() => undefined)
    }
  },

  'save copies by default; with transfer the caller’s buffer is detached when save returns': () =>
    withClient(async (client) => {
      const bytes = randomBytes(4096)
      const expected = bytes.slice()
      const copying = client.save('copy', bytes)
      check(bytes.buffer.byteLength === 4096, 'a default save detached the buffer')
      bytes.fill(0)
      await copying
      checkBytes(await client.load('copy'), expected, 'a default save after the caller changed its bytes')

      const whole = expected.slice()
      const view = whole.subarray(1000, 3000)
      const moving = client.save('moved', view, { transfer: true })
      check(whole.buffer.byteLength === 0, 'with transfer, the buffer is still attached after save returned')
      await moving
      checkBytes(await client.load('moved'), expected.slice(1000, 3000), 'a transferred view')
    }),

  'when tiers 1 and 2 fail their probes, IndexedDB serves and info says why the others did not': async () => {
    const directory = `test-worker-host-${crypto.randomUUID()}`
    const database = `test-worker-host-${crypto.randomUUID()}`
    const client = connect(worker('tiers', { directory, database }))
    try {
      const info = await client.info()
      check(info.driver === 'idb', `driver is ${info.driver}`)
      const [sync, writable, idb] = info.probes
      check(
        sync?.id === 'opfs-sync' && !sync.ok && /createSyncAccessHandle/.test(sync.reason ?? ''),
        `tier 1: ${JSON.stringify(sync)}`,
      )
      check(
        writable?.id === 'opfs-async' && !writable.ok && /createWritable/.test(writable.reason ?? ''),
        `tier 2: ${JSON.stringify(writable)}`,
      )
      check(idb?.id === 'idb' && idb.ok, `tier 3: ${JSON.stringify(idb)}`)
      check(info.flushes, 'IndexedDB with strict durability flushes, yet info says it does not')
      const bytes = randomBytes(70_000)
      await client.save('on-idb', bytes)
      checkBytes(await client.load('on-idb'), bytes, 'a round trip on the IndexedDB tier')
      const error = await rejection(client.load('missing'))
      check(
        error.code === 'NOT_FOUND' && error.driver === 'idb',
        `a missing file on idb: ${error.code} from ${error.driver}`,
      )
    } finally {
      await client.close()
      await (await navigator.storage.getDirectory()).removeEntry(directory, { recursive: true }).catch(() => undefined)
      await new Promise((resolve) => {
        const request = indexedDB.deleteDatabase(database)
        request.onsuccess = request.onerror = request.onblocked = resolve
      })
    }
  },

  'when no driver works, info says why and every other call rejects UNSUPPORTED with the reasons': async () => {
    const client = connect(worker('none'))
    try {
      const info = await client.info()
      check(info.driver === null, `driver is ${info.driver}`)
      check(!info.flushes, 'nothing serves, yet info says saves are flushed')
      check(
        info.probes.length === 1 && info.probes[0]!.id === 'opfs-sync' && !info.probes[0]!.ok,
        `probes are ${JSON.stringify(info.probes)}`,
      )
      check(
        /getDirectory/.test(info.probes[0]!.reason ?? ''),
        `the reason does not say what is missing: ${info.probes[0]!.reason}`,
      )
      const error = await rejection(client.load('a'))
      check(error.code === 'UNSUPPORTED', `code is ${error.code}`)
      check(
        error.message.includes('opfs-sync: ') && error.message.includes('getDirectory'),
        `message is ${error.message}`,
      )
    } finally {
      await client.close()
    }
  },

  'a lock another context never gives back ends a call LOCKED within the bound; the next works once it is free': () =>
    lockNeverGivenBack(),

  'the same on opfs-async: LOCKED within the bound, and the next call works once the lock is free': () =>
    lockNeverGivenBack('opfs-async'),

  'an abort before the call is sent refuses it at once, and detaches nothing': () =>
    withClient(async (client) => {
      const reason = new Error('the user left')
      const bytes = randomBytes(64)
      const error = await rejection(client.save('a', bytes, { transfer: true, signal: AbortSignal.abort(reason) }))
      check(error.code === 'ABORTED' && error.cause === reason, `got ${error.code} caused by ${String(error.cause)}`)
      check(bytes.buffer.byteLength === 64, 'an aborted save detached the buffer')
      check((await client.list()).length === 0, 'an aborted save stored something')
    }),

  'an abort while the call waits for a lock, or for its turn behind one, rejects ABORTED and changes nothing': () =>
    withClient(
      async (client, directory) => {
        const before = randomBytes(1000)
        await client.save('f', before)
        const release = await holdLock(`stowage:opfs:${directory}/f`)
        const first = new AbortController()
        const second = new AbortController()
        const waitingForLock = rejection(client.save('f', randomBytes(10), { signal: first.signal }))
        const waitingForTurn = rejection(client.remove('f', { signal: second.signal }))
        await new Promise((resolve) => setTimeout(resolve, 50))
        const reason = new Error('enough')
        second.abort(reason)
        const turnError = await waitingForTurn
        check(turnError.code === 'ABORTED' && turnError.cause === reason, `behind: ${turnError.code}`)
        first.abort(reason)
        const lockError = await waitingForLock
        check(lockError.code === 'ABORTED' && lockError.cause === reason, `at the lock: ${lockError.code}`)
        release()
        checkBytes(await client.load('f'), before, 'the file after the aborted calls')
      },
      { lockTimeoutMs: '60000' },
    ),

  'an abort at any moment of a 16 MiB save leaves the old bytes or the new, whole, in a fresh worker': async () => {
    const directory = `test-worker-host-${crypto.randomUUID()}`
    const old = randomBytes(16 * 1024 * 1024)
    const setup = connect(worker('opfs', { directory }))
    await setup.save('big', old)
    await setup.close()
    try {
      let landed = 0
      for (const delayMs of [0, 1, 5, 20, 60]) {
        const client = connect(worker('opfs', { directory }))
        const current = await client.load('big')
        const next = randomBytes(16 * 1024 * 1024)
        const controller = new AbortController()
        const saving = client.save('big', next, { signal: controller.signal }).then(
          () => true,
          (error: unknown) => {
            check(isStorageError(error, 'ABORTED'), `the aborted save rejected ${String(error)}`)
            return false
          },
        )
        setTimeout(() => controller.abort(), delayMs)
        const saved = await saving
        await client.close()
        const reader = connect(worker('opfs', { directory }))
        checkBytes(
          await reader.load('big'),
          saved ? next : current,
          `after an abort at ${delayMs} ms (saved: ${saved})`,
        )
        await reader.close()
        landed += saved ? 1 : 0
      }
      console.info(`16 MiB saves aborted: ${landed} of 5 had begun their I/O and landed`)
    } finally {
      await (await navigator.storage.getDirectory()).removeEntry(directory, { recursive: true }).catch(() => undefined)
    }
  },

  'a save carries its durability to the driver; unnamed, the worker default applies; both read back fresh':
    async () => {
      for (const workerDefault of [undefined, 'relaxed'] as const) {
        const spy = `test-spy-${crypto.randomUUID()}`
        const heard: string[] = []
        const channel = new BroadcastChannel(spy)
        channel.onmessage = ({ data }: MessageEvent<string>) => heard.push(data)
        await withClient(
          async (client, directory) => {
            // Awaited one by one: coalescing would otherwise leave fewer saves to hear.
            const bytes = randomBytes(64 * 1024)
            await client.save('plain', bytes)
            await client.save('strict', bytes, { durability: 'strict' })
            await client.save('relaxed', bytes, { durability: 'relaxed' })
            const fresh = connect(worker('opfs', { directory }))
            for (const file of ['plain', 'strict', 'relaxed'])
              checkBytes(await fresh.load(file), bytes, `${file}, read through a fresh worker`)
            await fresh.close()
            await until(() => heard.length >= 3, 'the spy')
            const expected = [`plain ${workerDefault ?? 'strict'}`, 'strict strict', 'relaxed relaxed']
            check(heard.join() === expected.join(), `the driver got ${JSON.stringify(heard)}`)
          },
          { spy, ...(workerDefault && { durability: workerDefault }) },
        )
        channel.close()
      }
    },

  'a worker killed with calls in flight rejects them, and every later call, CLOSED': async () => {
    const raw = worker('opfs', { directory: `test-worker-host-${crypto.randomUUID()}` })
    const client = connect(raw)
    await client.info()
    const inFlight = [client.save('big', randomBytes(16 * 1024 * 1024)), client.load('big'), client.list()]
    raw.terminate()
    for (const call of inFlight) {
      const error = await rejection(call)
      check(error.code === 'CLOSED', `an in-flight call rejected ${error.code}`)
    }
    check((await rejection(client.load('big'))).code === 'CLOSED', 'a later call did not reject CLOSED')
  },

  'a worker that fails to start rejects every call CLOSED': async () => {
    const client = connect(new Worker('data:text/javascript,throw new Error("broken build")'))
    check((await rejection(client.info())).code === 'CLOSED', 'info did not reject CLOSED')
    check((await rejection(client.save('a', new Uint8Array(1)))).code === 'CLOSED', 'save did not reject CLOSED')
  },

  'a worker that never calls serve is given up on, not waited for forever': async () => {
    const client = connect(worker('idle'), { startTimeoutMs: 300 })
    const error = await rejection(client.load('a'))
    check(error.code === 'CLOSED' && error.message.includes('serve()'), `got ${error.code}: ${error.message}`)
  },

  'close settles queued work, then every call rejects CLOSED': () =>
    withClient(async (client) => {
      const bytes = randomBytes(256 * 1024)
      const saving = client.save('f', bytes)
      const loading = client.load('f')
      await client.close()
      await saving
      checkBytes(await loading, bytes, 'a load queued before close')
      check((await rejection(client.load('f'))).code === 'CLOSED', 'load after close')
      check((await rejection(client.info())).code === 'CLOSED', 'info after close')
    }),

  'a burst of un-awaited saves reaches the disk a few times, not once per save, and every save settles': async () => {
    const directory = `test-worker-host-${crypto.randomUUID()}`
    const channel = `test-channel-${crypto.randomUUID()}`
    const writer = connect(worker('opfs', { directory, channel }))
    const reader = connect(worker('opfs', { directory, channel }))
    // The other worker hears one change per write that lands, after coalescing.
    let writes = 0
    reader.watch((change) => (writes += change.file === 'burst' && change.op === 'save' ? 1 : 0))
    try {
      await Promise.all([writer.info(), reader.info()])
      const saves = Array.from({ length: 100 }, () => randomBytes(64 * 1024))
      await Promise.all(saves.map((bytes) => writer.save('burst', bytes)))
      checkBytes(await reader.load('burst'), saves.at(-1)!, 'the file after the burst')
      await until(() => writes > 0, 'the first change event')
      // Late events only add to the count.
      await new Promise((resolve) => setTimeout(resolve, 200))
      check(writes < 25, `${writes} writes for 100 saves`)
    } finally {
      await Promise.all([writer.close(), reader.close()])
      await (await navigator.storage.getDirectory()).removeEntry(directory, { recursive: true }).catch(() => undefined)
    }
  },

  'watch hears the saves and removes of another worker, and not its own': async () => {
    const directory = `test-worker-host-${crypto.randomUUID()}`
    const channel = `test-channel-${crypto.randomUUID()}`
    const writer = connect(worker('opfs', { directory, channel }))
    const reader = connect(worker('opfs', { directory, channel }))
    const heard: Change[] = []
    const echoed: Change[] = []
    const stopReader = reader.watch((change) => heard.push(change))
    writer.watch((change) => echoed.push(change))
    try {
      await Promise.all([writer.info(), reader.info()])
      await writer.save('shared', randomBytes(100))
      await writer.remove('shared')
      await until(() => heard.length >= 2, 'two change events')
      check(
        JSON.stringify(heard) ===
          JSON.stringify([
            { file: 'shared', op: 'save' },
            { file: 'shared', op: 'remove' },
          ]),
        `heard ${JSON.stringify(heard)}`,
      )
      stopReader()
      await writer.save('again', randomBytes(1))
      await new Promise((resolve) => setTimeout(resolve, 100))
      check(heard.length === 2, 'a listener heard a change after unsubscribing')
      check(echoed.length === 0, `the writer heard its own changes: ${JSON.stringify(echoed)}`)
    } finally {
      await Promise.all([writer.close(), reader.close()])
      await (await navigator.storage.getDirectory()).removeEntry(directory, { recursive: true }).catch(() => undefined)
    }
  },
}
