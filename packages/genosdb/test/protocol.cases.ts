import { check, checkBytes, randomBytes } from '@stowage/core/conformance'
import { hostCases } from '@stowage/browsers/page'
import { createGenosDBWorker, type GenosDBOptions, type Tier } from '../src/index.ts'
import { genosClient, type GenosClient } from './client.ts'
import { freshDb, rawIdb, readRoot, removeRoot, same, sleep, until } from './support.ts'

/** Page-side test bodies: plain async functions, each on a GenosDB database name of its own. */

const KiB = 1024
/** The prefix of every OPFS file these cases create: `stowage-test-protocol-`. */
export const GROUP = 'protocol'

interface Context {
  db: string
  file: string
  /** A worker of ours on the tier under test (or `url`, a test build of it), and a GenosDB-like client on it. */
  open(url?: URL): { worker: Worker; client: GenosClient }
  /** A stand-in for a stock GenosDB tab's worker (test/stock.worker.ts). */
  stock(): ReturnType<typeof hostCases>
}

function withDb(tier: Tier, body: (context: Context) => Promise<void>): () => Promise<void> {
  return async () => {
    const { db, file } = freshDb(GROUP)
    const workers: Worker[] = []
    const track = (worker: Worker) => {
      workers.push(worker)
      return worker
    }
    try {
      await body({
        db,
        file,
        open(url) {
          const worker = track(createGenosDBWorker({ tiers: [tier], url }))
          return { worker, client: genosClient(worker) }
        },
        stock: () => hostCases(track(new Worker(new URL('./stock.worker.ts', import.meta.url), { type: 'module' }))),
      })
    } finally {
      for (const worker of workers) worker.terminate()
      await removeRoot(file)
      if (tier === 'idb') await rawIdb('readwrite', (store) => store.delete(file))
    }
  }
}

/** What GenosDB's storage holds for `file` on `tier`: the raw OPFS root file, or the IndexedDB value. */
async function stored(tier: Tier, file: string): Promise<unknown> {
  return tier === 'opfs' ? readRoot(file) : rawIdb('readonly', (store) => store.get(file))
}

const keysOf = (reply: object) => Object.keys(reply).join()

async function rejection(promise: Promise<unknown>): Promise<Error & { reply?: Record<string, unknown> }> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  )
  check(outcome, 'expected a rejection, but it resolved')
  return outcome
}

/** Posts every save at once and waits for all their `saved` replies, checking that nothing else came. */
async function burst(client: GenosClient, file: string, contents: Uint8Array[]): Promise<void> {
  const start = client.replies.length
  // GenosDB's listeners all settle on the first `saved` for the name; the count comes from the replies.
  await Promise.all(contents.map((bytes) => client.save(file, bytes)))
  await until(() => client.replies.length >= start + contents.length, `${contents.length} replies`)
  const replies = client.replies.slice(start)
  check(replies.length === contents.length, `${replies.length} replies to ${contents.length} saves`)
  const wrong = replies.filter((reply) => reply.type !== 'saved' || reply.name !== file)
  check(wrong.length === 0, `unexpected replies: ${JSON.stringify(wrong.slice(0, 3))}`)
}

/** Loads `file` through `client`, one load after another, until `stop` settles; returns what each load gave. */
async function loadUntil(client: GenosClient, file: string, stop: Promise<unknown>): Promise<Uint8Array[]> {
  let running = true
  const loads: Uint8Array[] = []
  const loop = (async () => {
    while (running) loads.push(await client.load(file))
  })()
  try {
    await stop
  } finally {
    running = false
    await loop
  }
  return loads
}

function checkWhole(loads: Uint8Array[], saved: Uint8Array[]): void {
  check(loads.length > 0, 'no load ran')
  for (const [index, bytes] of loads.entries()) {
    check(
      bytes.length === 0 || saved.some((candidate) => same(candidate, bytes)),
      `load ${index} returned ${bytes.length} bytes that no save wrote`,
    )
  }
}

export function protocolCases(tier: Tier): Record<string, () => Promise<void>> {
  const elsewhere = tier === 'opfs' ? 'idb' : 'opfs'
  return {
    'a missing file loads as an empty Uint8Array, not as an error': withDb(tier, async ({ file, open }) => {
      const { client } = open()
      const reply = await client.raw({ type: 'load', name: file })
      check(
        keysOf(reply) === 'type,name,data' && reply.type === 'loaded' && reply.name === file,
        `reply ${JSON.stringify(reply)}`,
      )
      check(reply.data instanceof Uint8Array && reply.data.length === 0, `data is ${String(reply.data)}`)
      check((await client.load(file)).length === 0, 'GenosDB’s client did not get empty bytes')
      check((await stored(tier, file)) === undefined, 'a load created the file')
    }),

    'a save is answered { type: "saved", name } once its bytes are stored, raw, where GenosDB reads them': withDb(
      tier,
      async ({ file, open }) => {
        const { client } = open()
        const bytes = randomBytes(1024 * KiB)
        const reply = await client.raw({ type: 'save', name: file, content: bytes })
        check(JSON.stringify(reply) === JSON.stringify({ type: 'saved', name: file }), `reply ${JSON.stringify(reply)}`)
        const raw = await stored(tier, file)
        // Stock GenosDB gets a Uint8Array back from IndexedDB, and reads the OPFS file whole.
        check(
          raw instanceof Uint8Array && raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength,
          `stored value ${String(raw)}`,
        )
        checkBytes(raw, bytes, 'the stored bytes')
        check((await stored(elsewhere, file)) === undefined, `the ${elsewhere} tier holds the file too`)
        checkBytes(await client.load(file), bytes, 'the loaded bytes')

        const shorter = randomBytes(100)
        await client.save(file, shorter)
        checkBytes((await stored(tier, file)) as Uint8Array, shorter, 'the stored bytes after a shorter save')
      },
    ),

    'content that is not a Uint8Array gets the exact error reply, and nothing stored changes': withDb(
      tier,
      async ({ file, open }) => {
        const { client } = open()
        const bytes = randomBytes(1000)
        await client.save(file, bytes)
        const expected = JSON.stringify({ type: 'error', name: file, message: 'Content must be a Uint8Array' })
        const wrong = [
          bytes.buffer.slice(0),
          'text',
          [1, 2, 3],
          new Uint16Array(4),
          new Uint8ClampedArray(4),
          new DataView(new ArrayBuffer(4)),
          null,
          undefined,
        ]
        for (const content of wrong) {
          const reply = await client.raw({ type: 'save', name: file, content })
          check(
            JSON.stringify(reply) === expected && keysOf(reply) === 'type,name,message',
            `${String(content)}: reply ${JSON.stringify(reply)}`,
          )
        }
        const reply = await client.raw({ type: 'save', name: file })
        check(JSON.stringify(reply) === expected, `no content: reply ${JSON.stringify(reply)}`)
        const error = await rejection(client.save(file, new ArrayBuffer(8)))
        check(error.message === 'Content must be a Uint8Array', `GenosDB’s client rejected with ${error.message}`)
        checkBytes(await client.load(file), bytes, 'the bytes after the refused saves')
      },
    ),

    'an unknown type gets the exact error reply, without a name': withDb(tier, async ({ file, open }) => {
      const { client } = open()
      const unknown: [unknown, string][] = [
        [{ type: 'delete', name: file }, 'delete'],
        [{ type: 'LOAD', name: file }, 'LOAD'],
        [{ name: file }, 'undefined'],
        ['load', 'undefined'],
        [null, 'undefined'],
      ]
      for (const [message, type] of unknown) {
        const reply = await client.raw(message)
        check(
          JSON.stringify(reply) === JSON.stringify({ type: 'error', message: `Unrecognized action type: ${type}` }),
          `reply ${JSON.stringify(reply)}`,
        )
        check(!('name' in reply), 'the reply has a name')
      }
      check((await client.load(file)).length === 0, 'the worker stopped serving after unknown messages')
    }),

    'a storage failure replies an error with the file’s name and a StorageError code': withDb(
      tier,
      async ({ open }) => {
        const { client } = open()
        for (const [message, code] of [
          [{ type: 'load', name: 'a/b' }, 'INVALID_NAME'],
          [{ type: 'save', name: '.stowage-mine', content: new Uint8Array(1) }, 'INVALID_NAME'],
          [{ type: 'load', name: 42 }, 'INVALID_NAME'],
        ] as const) {
          const reply = await client.raw(message)
          check(
            reply.type === 'error' && reply.name === message.name && reply.code === code,
            `reply ${JSON.stringify(reply)}`,
          )
          check(
            typeof reply.message === 'string' && reply.message.includes(String(message.name)),
            `message ${String(reply.message)}`,
          )
        }
        const error = await rejection(client.load('a/b'))
        check(/Invalid file name/.test(error.message), `GenosDB’s client rejected with ${error.message}`)
      },
    ),

    'saves and loads of one file are answered in the order they were sent': withDb(tier, async ({ file, open }) => {
      const { worker, client } = open()
      const [a, b] = [randomBytes(64 * KiB), randomBytes(64 * KiB)]
      const start = client.replies.length
      worker.postMessage({ type: 'save', name: file, content: a })
      worker.postMessage({ type: 'load', name: file })
      worker.postMessage({ type: 'save', name: file, content: b })
      worker.postMessage({ type: 'load', name: file })
      await until(() => client.replies.length >= start + 4, 'four replies')
      const replies = client.replies.slice(start)
      check(
        replies.map((reply) => reply.type).join() === 'saved,loaded,saved,loaded',
        `replies ${replies.map((reply) => reply.type).join()}`,
      )
      checkBytes(replies[1]!.data as Uint8Array, a, 'the load between the saves')
      checkBytes(replies[3]!.data as Uint8Array, b, 'the load after both saves')
    }),

    'a burst of saves to one file is answered in full, written fewer times, and ends with the last bytes': withDb(
      tier,
      async ({ file, open }) => {
        const { worker, client } = open(new URL('./counting.worker.ts', import.meta.url))
        const writes = () =>
          new Promise<number>((resolve) => {
            const listener = ({ data }: MessageEvent) => {
              if (typeof data?.writes !== 'number') return
              worker.removeEventListener('message', listener)
              resolve(data.writes)
            }
            worker.addEventListener('message', listener)
            worker.postMessage('writes?')
          })
        await client.save(file, randomBytes(16))
        const before = await writes()
        const contents = Array.from({ length: 40 }, () => randomBytes(64 * KiB))
        await burst(client, file, contents)
        const written = (await writes()) - before
        check(written >= 1 && written < contents.length, `${contents.length} saves made ${written} writes`)
        checkBytes(await client.load(file), contents.at(-1)!, 'the loaded bytes after the burst')
        checkBytes((await stored(tier, file)) as Uint8Array, contents.at(-1)!, 'the stored bytes after the burst')
      },
    ),

    'saves from two workers to one file all land, and a third worker only ever loads whole saves': withDb(
      tier,
      async ({ file, open }) => {
        const [one, two, reader] = [open(), open(), open()]
        const ours = [0, 1].map(() => Array.from({ length: 15 }, () => randomBytes(256 * KiB)))
        const saving = Promise.all([burst(one.client, file, ours[0]!), burst(two.client, file, ours[1]!)])
        const loads = await loadUntil(reader.client, file, saving)
        checkWhole(loads, ours.flat())
        const final = (await stored(tier, file)) as Uint8Array
        check(
          same(final, ours[0]!.at(-1)!) || same(final, ours[1]!.at(-1)!),
          'the file does not hold either worker’s last save',
        )
        checkBytes(await reader.client.load(file), final, 'a load after both bursts')
      },
    ),

    'another tab that hears GenosDB’s "update" loads the bytes just saved': withDb(tier, async ({ db, file, open }) => {
      const [writer, other] = [open(), open()]
      // GenosDB's main thread posts "update" after `saved`; the worker posts nothing there.
      const [ours, theirs] = [new BroadcastChannel(`graphdb_sync_${db}`), new BroadcastChannel(`graphdb_sync_${db}`)]
      try {
        const nextUpdate = () =>
          new Promise<Uint8Array>((resolve, reject) => {
            theirs.onmessage = ({ data }) => {
              if (data === 'update') other.client.load(file).then(resolve, reject)
            }
          })
        for (let round = 0; round < 3; round++) {
          const bytes = randomBytes(512 * KiB)
          const heard = nextUpdate()
          await writer.client.save(file, bytes)
          ours.postMessage('update')
          checkBytes(await heard, bytes, `round ${round}: the other tab’s load`)
        }
      } finally {
        ours.close()
        theirs.close()
      }
    }),
  }
}

/** Stock GenosDB tabs writing the same OPFS file, with their sync access handles. */
export const stockCases: Record<string, () => Promise<void>> = {
  'a file that GenosDB wrote at the OPFS root loads unchanged': withDb('opfs', async ({ file, open, stock }) => {
    const bytes = randomBytes(300 * KiB)
    await stock().call('writeAll', [file, [bytes]])
    checkBytes(await open().client.load(file), bytes, 'the loaded bytes')
  }),

  'while a stock tab writes the file in place, our loads and saves never see it torn': withDb(
    'opfs',
    async ({ file, open, stock }) => {
      const [writer, reader] = [open(), open()]
      const theirs = Array.from({ length: 10 }, () => randomBytes(1024 * KiB))
      const ours = Array.from({ length: 10 }, () => randomBytes(1024 * KiB))
      const writing = Promise.all([stock().call('writeAll', [file, theirs]), burst(writer.client, file, ours)])
      const loads = await loadUntil(reader.client, file, writing)
      checkWhole(loads, [...theirs, ...ours])
      const final = (await readRoot(file))!
      check(same(final, theirs.at(-1)!) || same(final, ours.at(-1)!), 'the file holds neither side’s last save')
    },
  ),

  'a save waits while a stock tab holds the file open to read it, then lands': withDb(
    'opfs',
    async ({ file, open, stock }) => {
      const { client } = open()
      await client.save(file, randomBytes(1000))
      const tab = stock()
      await tab.call('hold', [file])
      const bytes = randomBytes(2000)
      let landed = false
      const saving = client.save(file, bytes).then(() => (landed = true))
      // Enough for the save to meet the open handle (createWritable refuses while it is open).
      await sleep(100)
      check(!landed, 'the save landed while a sync access handle was open on the file')
      await tab.call('release', [])
      await saving
      checkBytes((await readRoot(file))!, bytes, 'the stored bytes')
    },
  ),
}

/** GenosDB's IndexedDB tier: values a stock tab stored. */
export const idbDataCases: Record<string, () => Promise<void>> = {
  'values GenosDB stored in opfs-fallback-db load unchanged: a Uint8Array, a view of a larger buffer, an ArrayBuffer':
    withDb('idb', async ({ file, open }) => {
      const { client } = open()
      const bytes = randomBytes(200 * KiB)
      await rawIdb('readwrite', (store) => store.put(bytes, file))
      checkBytes(await client.load(file), bytes, 'a Uint8Array value')
      const larger = randomBytes(4096)
      await rawIdb('readwrite', (store) => store.put(larger.subarray(100, 300), file))
      const view = await client.load(file)
      checkBytes(view, larger.subarray(100, 300), 'a view’s value')
      check(view.byteLength === view.buffer.byteLength, 'a view’s load carries the rest of its buffer')
      await rawIdb('readwrite', (store) => store.put(bytes.buffer.slice(0, 1000), file))
      checkBytes(await client.load(file), bytes.subarray(0, 1000), 'an ArrayBuffer value')
    }),

  'a value that is not bytes replies an error with code CORRUPT, never data': withDb('idb', async ({ file, open }) => {
    const { client } = open()
    await rawIdb('readwrite', (store) => store.put('not bytes', file))
    const reply = await client.raw({ type: 'load', name: file })
    check(reply.type === 'error' && reply.name === file && reply.code === 'CORRUPT', `reply ${JSON.stringify(reply)}`)
  }),
}

/** A worker where no tier works. */
export async function noTierCase(): Promise<void> {
  const { file } = freshDb(GROUP)
  const worker = createGenosDBWorker({ url: new URL('./crippled.worker.ts', import.meta.url) })
  try {
    const client = genosClient(worker)
    for (const message of [
      { type: 'load', name: file },
      { type: 'save', name: file, content: new Uint8Array(1) },
    ]) {
      const reply = await client.raw(message)
      check(
        reply.type === 'error' && reply.name === file && reply.code === 'UNSUPPORTED',
        `reply ${JSON.stringify(reply)}`,
      )
      const text = String(reply.message)
      check(
        /opfs-async: .*getDirectory/.test(text) && /idb: .*IndexedDB/.test(text),
        `the message does not give each tier’s reason: ${text}`,
      )
    }
  } finally {
    worker.terminate()
  }
}

/**
 * Runs `body` with `count` fresh file names and a way to open workers of ours with any options,
 * each with a GenosDB-like client; afterwards the workers end and both tiers lose those files.
 */
function acrossTiers(
  count: number,
  body: (open: (options: GenosDBOptions) => GenosClient, files: string[]) => Promise<void>,
): () => Promise<void> {
  return async () => {
    const files = Array.from({ length: count }, () => freshDb(GROUP).file)
    const workers: Worker[] = []
    try {
      await body((options) => {
        workers.push(createGenosDBWorker(options))
        return genosClient(workers.at(-1)!)
      }, files)
    } finally {
      for (const worker of workers) worker.terminate()
      for (const file of files) {
        await removeRoot(file)
        await rawIdb('readwrite', (store) => store.delete(file))
      }
    }
  }
}

/**
 * Data never strands between the tiers: what one tier holds is found when the other serves, and
 * is copied to where it is served. The old copy stays until the new one has settled (60 s, see
 * `SETTLE_MS` in @stowage/core/driver), so a power cut right after the copy cannot take both.
 */
export const adoptionCases: Record<string, () => Promise<void>> = {
  'a file saved while only IndexedDB served is copied to the OPFS root once OPFS serves': acrossTiers(
    1,
    async (open, [file]) => {
      const bytes = randomBytes(40 * KiB)
      await open({ tiers: ['idb'] }).save(file!, bytes)
      checkBytes(await open({}).load(file!), bytes, 'the file, loaded where OPFS serves')
      checkBytes((await readRoot(file!))!, bytes, 'the OPFS root file after adoption')
      check(
        (await rawIdb('readonly', (store) => store.get(file!))) !== undefined,
        'IndexedDB dropped its copy unsettled',
      )
    },
  ),

  'a root file is found while only IndexedDB can serve, and only the files asked for are copied': acrossTiers(
    2,
    async (open, [file, untouched]) => {
      const bytes = randomBytes(40 * KiB)
      const other = randomBytes(KiB)
      const writer = open({ tiers: ['opfs'] })
      await writer.save(file!, bytes)
      await writer.save(untouched!, other)
      const reader = open({ url: new URL('./readonly-opfs.worker.ts', import.meta.url) })
      checkBytes(await reader.load(file!), bytes, 'the root file, loaded where IndexedDB serves')
      checkBytes((await readRoot(file!))!, bytes, 'the root file, kept until the copy settles')
      checkBytes(
        new Uint8Array((await rawIdb('readonly', (store) => store.get(file!))) as Uint8Array),
        bytes,
        'IndexedDB’s copy',
      )
      checkBytes((await readRoot(untouched!))!, other, 'a root file nobody asked for')
    },
  ),
}
