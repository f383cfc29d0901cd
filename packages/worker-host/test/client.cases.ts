import { isStorageError, StorageError } from '@stowage/core'
import { check, checkBytes, randomBytes } from '@stowage/core/conformance'
import { connect, type Change, type Client } from '../src/index.ts'
import { VERSION, type Reply } from '../src/protocol.ts'

/** Page-side test bodies: plain async functions, so any launcher can host them. */

function worker(name: 'opfs' | 'none' | 'idle' | 'tiers', params: Record<string, string> = {}): Worker {
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
