import { check, checkBytes, checkRejects, randomBytes } from '@stowage/core/conformance'
import type { Driver } from '@stowage/core'
import { idb } from '@stowage/driver-idb'
import { opfsAsync } from '@stowage/driver-opfs-async'
import { opfsSync } from '@stowage/driver-opfs-sync'
import { connect, type Client } from '../src/index.ts'

/**
 * Page-side test bodies for adoption (invariant 10): every worker is a fresh dedicated worker
 * running adopt.worker.ts, each tier in a place of its own under one base name per case.
 */

type Tier = 'opfs-sync' | 'opfs-async' | 'idb'
const TIERS: Tier[] = ['opfs-sync', 'opfs-async', 'idb']

interface Start {
  /** Tiers that fail their probe. */
  fail?: Tier[]
  /** A file the serving tier refuses to save. */
  refuse?: string
  /** Both OPFS tiers in one folder. */
  shared?: boolean
  /** serve's settleMs: 0 removes the old copies at once. Default serve's own (60 s). */
  settle?: number
}

/** What a case that is not about settling passes: the old copies go as soon as the copy is verified. */
const atOnce: Start = { settle: 0 }

function start(base: string, serve: Tier[], { fail = [], refuse, shared, settle }: Start = {}): Client {
  const url = new URL('./adopt.worker.ts', import.meta.url)
  // Vite's dev server takes a URL that ends in a file name such as `big.bin` for an asset: the name goes first.
  if (refuse) url.searchParams.set('refuse', refuse)
  url.searchParams.set('base', base)
  url.searchParams.set('serve', serve.join(','))
  if (fail.length) url.searchParams.set('fail', fail.join(','))
  if (shared) url.searchParams.set('shared', '')
  if (settle !== undefined) url.searchParams.set('settle', String(settle))
  return connect(new Worker(url, { type: 'module' }))
}

/** Runs `body` on a fresh worker serving `serve`, and closes it. */
async function using<T>(
  base: string,
  serve: Tier[],
  body: (client: Client) => Promise<T>,
  options?: Start,
): Promise<T> {
  const client = start(base, serve, options)
  try {
    return await body(client)
  } finally {
    await client.close()
  }
}

/** What `tier` alone holds (a list of one driver adopts nothing). */
const held = (base: string, tier: Tier) => using(base, [tier], async (client) => (await client.list()).sort())

/** Saves `files` through a worker that serves `tier` alone. */
const saveIn = (base: string, tier: Tier, files: Record<string, Uint8Array>) =>
  using(base, [tier], async (client) => {
    const info = await client.info()
    check(info.driver === tier, `${tier} does not serve alone`)
    // Only createWritable offers no flush.
    check(info.flushes === (tier !== 'opfs-async'), `info says ${tier} flushes: ${info.flushes}`)
    await Promise.all(Object.entries(files).map(([file, bytes]) => client.save(file, bytes)))
  })

/** A case's base name, its OPFS folder and IndexedDB database removed afterwards. */
async function withBase<T>(body: (base: string) => Promise<T>): Promise<T> {
  const base = `test-adopt-${crypto.randomUUID()}`
  try {
    return await body(base)
  } finally {
    await (await navigator.storage.getDirectory()).removeEntry(base, { recursive: true }).catch(() => undefined)
    await new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(base)
      request.onsuccess = request.onerror = request.onblocked = resolve
    })
  }
}

/**
 * The app's list, all three tiers, with every tier before `to` failing its probe, as a tier that
 * stopped working does: `to` serves, and the tier that held the files is one of the others.
 */
const servedBy = (to: Tier): { serve: Tier[]; fail: Tier[] } => ({
  serve: TIERS,
  fail: TIERS.slice(0, TIERS.indexOf(to)),
})

const sortedJson = (entries: { file?: string; from: string }[]) =>
  JSON.stringify(entries.map(({ file, from }) => `${file}@${from}`).sort())

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Files saved while `from` served, opened once `to` serves: adopted, there byte for byte in a
 * fresh worker, reported; a second start adopts nothing. `from` keeps its copies (pending) until
 * a start finds the adopted ones settled, and that start removes them.
 */
async function adoption(from: Tier, to: Tier): Promise<void> {
  await withBase(async (base) => {
    const files = { 'graph.bin': randomBytes(300_000), 'empty.bin': new Uint8Array(0), 'note ü.txt': randomBytes(10) }
    await saveIn(base, from, files)
    const { serve, fail } = servedBy(to)
    const info = await using(base, serve, (client) => client.info(), { fail })
    check(info.driver === to, `${to} does not serve: ${JSON.stringify(info.probes)}`)
    const expected = sortedJson(Object.keys(files).map((file) => ({ file, from })))
    check(
      sortedJson(info.adopted) === expected && sortedJson(info.pending) === expected,
      `info() is ${JSON.stringify(info)}`,
    )
    check(info.failed.length === 0 && info.superseded.length === 0, `unexpected report ${JSON.stringify(info)}`)
    await using(
      base,
      serve,
      async (client) => {
        const again = await client.info()
        check(again.adopted.length === 0, `a second start adopted ${JSON.stringify(again.adopted)}`)
        check(sortedJson(again.pending) === expected, `a second start left pending ${JSON.stringify(again.pending)}`)
        check(
          JSON.stringify((await client.list()).sort()) === JSON.stringify(Object.keys(files).sort()),
          `list() is ${JSON.stringify(await client.list())}`,
        )
        for (const [file, bytes] of Object.entries(files))
          checkBytes(await client.load(file), bytes, `${file} in ${to}`)
      },
      { fail },
    )
    const kept = await held(base, from)
    check(kept.length === Object.keys(files).length, `${from} holds only ${JSON.stringify(kept)} before they settle`)
    // A start once the copies have stood for its settleMs: their save times, read back, decide it.
    await pause(1000)
    const settled = await using(base, serve, (client) => client.info(), { fail, settle: 1000 })
    check(
      settled.adopted.length === 0 && sortedJson(settled.superseded) === expected && settled.pending.length === 0,
      `the start after they settled: ${JSON.stringify(settled)}`,
    )
    const left = await held(base, from)
    check(left.length === 0, `${from} still holds ${JSON.stringify(left)}`)
    await using(
      base,
      serve,
      async (client) => {
        for (const [file, bytes] of Object.entries(files))
          checkBytes(await client.load(file), bytes, `${file}, settled`)
      },
      { fail },
    )
  })
}

/**
 * A file removed while its old copy is pending stays removed: the start that removes settled
 * copies does not bring it back, and the file saved again is the new bytes.
 */
async function removedWhilePending(from: Tier, to: Tier): Promise<void> {
  await withBase(async (base) => {
    const [gone, kept] = [randomBytes(2000), randomBytes(3000)]
    await saveIn(base, from, { 'gone.bin': gone, 'kept.bin': kept })
    const { serve, fail } = servedBy(to)
    await using(
      base,
      serve,
      async (client) => {
        check((await client.info()).pending.length === 2, 'both copies pending')
        await client.remove('gone.bin')
        await checkRejects(client.load('gone.bin'), 'NOT_FOUND', 'gone.bin, removed')
      },
      { fail },
    )
    check(JSON.stringify(await held(base, from)) === '["kept.bin"]', `${from} still holds gone.bin`)
    await using(
      base,
      serve,
      async (client) => {
        const info = await client.info()
        check(info.adopted.length === 0, `the removed file came back: ${JSON.stringify(info)}`)
        await checkRejects(client.load('gone.bin'), 'NOT_FOUND', 'gone.bin, after the next start')
        checkBytes(await client.load('kept.bin'), kept, 'kept.bin')
      },
      { fail, ...atOnce },
    )
  })
}

/** `first` saved, then `second` saved the same name later: its bytes win wherever each tier stands. */
async function lastSavedWins(serving: Tier, other: Tier, savedLast: Tier): Promise<void> {
  await withBase(async (base) => {
    const older = randomBytes(1000)
    const newer = randomBytes(2000)
    const savedFirst = savedLast === serving ? other : serving
    await saveIn(base, savedFirst, { 'doc.bin': older })
    // Clocks of file systems and Date.now() differ in resolution: WebKitGTK's File.lastModified,
    // opfs-async's save time there, counts whole seconds. This is past every one.
    await pause(1100)
    await saveIn(base, savedLast, { 'doc.bin': newer })
    const { serve, fail } = servedBy(serving)
    await using(
      base,
      serve,
      async (client) => {
        const info = await client.info()
        check(info.driver === serving, `${serving} does not serve`)
        const report = savedLast === other ? info.adopted : info.superseded
        check(
          sortedJson(report) === sortedJson([{ file: 'doc.bin', from: other }]),
          `expected doc.bin from ${other} in ${savedLast === other ? 'adopted' : 'superseded'}: ${JSON.stringify(info)}`,
        )
        checkBytes(await client.load('doc.bin'), newer, `doc.bin, last saved in ${savedLast}`)
      },
      { fail, ...atOnce },
    )
    check((await held(base, other)).length === 0, `${other} still holds its copy`)
  })
}

/** Writes `bytes` over a file of the opfs-sync tier from the page, as damage would. */
async function damage(base: string, file: string, bytes: Uint8Array<ArrayBuffer>): Promise<void> {
  const root = await navigator.storage.getDirectory()
  const dir = await (await root.getDirectoryHandle(base)).getDirectoryHandle('sync')
  const writable = await (await dir.getFileHandle(file)).createWritable()
  await writable.write(bytes)
  await writable.close()
}

/** Puts `value` as `file` straight into the idb tier's object store, as damage would. */
async function damageIdb(base: string, file: string, value: unknown): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(base)
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
  try {
    await new Promise((resolve, reject) => {
      const tx = db.transaction('files', 'readwrite')
      tx.objectStore('files').put(value, file)
      tx.oncomplete = resolve
      tx.onabort = () => reject(tx.error)
    })
  } finally {
    db.close()
  }
}

async function twoAtOnce(): Promise<void> {
  await withBase(async (base) => {
    const files = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`file-${i}`, randomBytes(5000 + i)]))
    await saveIn(base, 'idb', files)
    const [a, b] = [start(base, TIERS, atOnce), start(base, TIERS, atOnce)]
    try {
      const infos = await Promise.all([a.info(), b.info()])
      const adopted = infos.flatMap((info) => info.adopted.map(({ file }) => file)).sort()
      check(
        JSON.stringify(adopted) === JSON.stringify(Object.keys(files).sort()),
        `adopted across the two: ${JSON.stringify(adopted)}; failed ${JSON.stringify(infos.map((info) => info.failed))}`,
      )
      for (const client of [a, b]) {
        check((await client.list()).length === 40, 'a worker does not list every file')
        for (const [file, bytes] of Object.entries(files)) checkBytes(await client.load(file), bytes, file)
      }
    } finally {
      await Promise.all([a.close(), b.close()])
    }
    check((await held(base, 'idb')).length === 0, 'idb still holds files')
  })
}

const directions: [Tier, Tier][] = [
  ['opfs-sync', 'opfs-async'],
  ['opfs-async', 'opfs-sync'],
  ['idb', 'opfs-sync'],
  ['idb', 'opfs-async'],
  ['opfs-sync', 'idb'],
  ['opfs-async', 'idb'],
]

/** Pairs of a serving tier and another that holds the same name. */
const rivals: [Tier, Tier][] = [
  ['opfs-sync', 'opfs-async'],
  ['idb', 'opfs-sync'],
  ['opfs-async', 'idb'],
]

const withoutSync = (tiers: Tier[]) => !tiers.includes('opfs-sync')
const withSync = (tiers: Tier[]) => !withoutSync(tiers)

const adoptionCases = (list: [Tier, Tier][]) =>
  Object.fromEntries(
    list.map(([from, to]) => [`files saved in ${from} are adopted into ${to}, once`, () => adoption(from, to)]),
  )

const rivalCases = (list: [Tier, Tier][]) =>
  Object.fromEntries(
    list.flatMap(([serving, other]) =>
      [serving, other].map((last) => [
        `one name in ${serving} (serving) and ${other}: the copy saved last, in ${last}, wins`,
        () => lastSavedWins(serving, other, last),
      ]),
    ),
  )

/** The cases that need no sync access handles: they run where workers have none (WebKitGTK). */
export const adoptCasesWithoutSync: Record<string, () => Promise<void>> = {
  ...adoptionCases(directions.filter(withoutSync)),
  ...rivalCases(rivals.filter(withoutSync)),

  'two workers starting at once adopt every file exactly once': twoAtOnce,

  'a file removed while its idb copy is pending (opfs-async serving) does not come back': () =>
    removedWhilePending('idb', 'opfs-async'),

  'a start with nothing to adopt creates no directory or database for the other tiers': () =>
    withBase(async (base) => {
      const info = await using(base, TIERS, (client) => client.info(), { fail: ['opfs-sync'] })
      check(info.driver === 'opfs-async', `${info.driver} serves`)
      check(info.adopted.length + info.superseded.length + info.failed.length === 0, JSON.stringify(info))
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(base)
      await dir.getDirectoryHandle('async')
      const sync = await dir.getDirectoryHandle('sync').then(
        () => 'there',
        (error: unknown) => (error as Error).name,
      )
      check(sync === 'NotFoundError', `opfs-sync's folder: ${sync}`)
      const databases = await indexedDB.databases()
      check(!databases.some(({ name }) => name === base), 'the idb database was created')
    }),
}

export const adoptCases: Record<string, () => Promise<void>> = {
  ...adoptionCases(directions.filter(withSync)),
  ...rivalCases(rivals.filter(withSync)),

  'a file removed while its idb copy is pending (opfs-sync serving) does not come back': () =>
    removedWhilePending('idb', 'opfs-sync'),

  'one name in all three tiers: the copy saved last wins, though it is the last tier swept': () =>
    withBase(async (base) => {
      const copies = { 'opfs-sync': randomBytes(100), 'opfs-async': randomBytes(200), idb: randomBytes(300) }
      for (const tier of TIERS) {
        await saveIn(base, tier, { 'doc.bin': copies[tier] })
        await pause(200)
      }
      await using(
        base,
        TIERS,
        async (client) => {
          const info = await client.info()
          check(sortedJson(info.adopted) === sortedJson([{ file: 'doc.bin', from: 'idb' }]), JSON.stringify(info))
          check(
            sortedJson(info.superseded) === sortedJson([{ file: 'doc.bin', from: 'opfs-async' }]),
            JSON.stringify(info),
          )
          checkBytes(await client.load('doc.bin'), copies.idb, "doc.bin: idb's copy, saved last")
        },
        atOnce,
      )
    }),

  'CORRUPT files in the old tiers stay there and are reported; serving goes on': () =>
    withBase(async (base) => {
      const good = randomBytes(4000)
      await saveIn(base, 'opfs-sync', { 'good.bin': good, 'bad.bin': randomBytes(4000) })
      await saveIn(base, 'idb', { 'torn.bin': randomBytes(4000) })
      // Headers that fail their checksum (caught when the copy is dated), and a chunk manifest
      // without its chunks (caught only when the copy is loaded).
      await damage(base, 'bad.bin', randomBytes(4000).fill(7))
      await damageIdb(base, 'torn.bin', { format: 'stowage-chunks', size: 5000, chunkSize: 1000 })
      await using(
        base,
        TIERS,
        async (client) => {
          const info = await client.info()
          check(info.driver === 'opfs-async', `${info.driver} serves`)
          check(sortedJson(info.adopted) === sortedJson([{ file: 'good.bin', from: 'opfs-sync' }]), 'good.bin adopted')
          const failed = info.failed.map(({ file, from, code }) => `${file}@${from}:${code}`).sort()
          check(
            JSON.stringify(failed) === '["bad.bin@opfs-sync:CORRUPT","torn.bin@idb:CORRUPT"]',
            `failed is ${JSON.stringify(info.failed)}`,
          )
          checkBytes(await client.load('good.bin'), good, 'good.bin')
          await checkRejects(client.load('bad.bin'), 'NOT_FOUND', 'bad.bin through the serving tier')
          await client.save('new.bin', good)
          checkBytes(await client.load('new.bin'), good, 'a save after the sweep')
        },
        { fail: ['opfs-sync'], ...atOnce },
      )
      check(JSON.stringify(await held(base, 'opfs-sync')) === '["bad.bin"]', 'bad.bin left opfs-sync')
      check(JSON.stringify(await held(base, 'idb')) === '["torn.bin"]', 'torn.bin left idb')
    }),

  'a file the serving tier refuses to save stays in the old tier, and is adopted once it can be': () =>
    withBase(async (base) => {
      const bytes = randomBytes(50_000)
      await saveIn(base, 'opfs-async', { 'big.bin': bytes, 'small.bin': bytes.subarray(0, 10) })
      const info = await using(base, TIERS, (client) => client.info(), { refuse: 'big.bin', ...atOnce })
      check(info.driver === 'opfs-sync', `${info.driver} serves`)
      check(sortedJson(info.adopted) === sortedJson([{ file: 'small.bin', from: 'opfs-async' }]), 'small.bin adopted')
      check(
        info.failed.length === 1 && info.failed[0]?.file === 'big.bin' && info.failed[0].code === 'QUOTA_EXCEEDED',
        `failed is ${JSON.stringify(info.failed)}`,
      )
      check(JSON.stringify(await held(base, 'opfs-async')) === '["big.bin"]', 'big.bin left opfs-async')
      await using(base, TIERS, async (client) => {
        check(sortedJson((await client.info()).adopted) === sortedJson([{ file: 'big.bin', from: 'opfs-async' }]), '')
        checkBytes(await client.load('big.bin'), bytes, 'big.bin, adopted on the next start')
      })
    }),

  'opfs-sync reads its files through getFile on a page, which has no sync access handles, lease held or not': () =>
    withBase(async (base) => {
      const bytes = randomBytes(70_000)
      const onPage = opfsSync({ directory: `${base}/sync` })
      check((await onPage.list()).length === 0, 'an absent directory lists files')
      const client = start(base, ['opfs-sync'])
      try {
        const before = Date.now()
        await client.save('held.bin', bytes)
        // The worker still holds the file's lease (idle for 100 ms): the page asks for it and reads.
        checkBytes(await onPage.load('held.bin'), bytes, 'held.bin read on the page')
        const at = await onPage.savedAt!('held.bin')
        check(at !== undefined && at >= before - 1 && at <= Date.now(), `savedAt ${at}, saved after ${before}`)
        check(JSON.stringify(await onPage.list()) === '["held.bin"]', 'list on the page')
        await checkRejects(onPage.load('absent.bin'), 'NOT_FOUND', 'an absent file on the page')
        checkBytes(await client.load('held.bin'), bytes, 'held.bin, back in the worker')
      } finally {
        await client.close()
        await onPage.close()
      }
    }),

  'savedAt moves with every save, 5 ms apart, in every tier, and lies between its call and its return': () =>
    withBase(async (base) => {
      const client = start(base, ['opfs-sync'])
      const tiers: [Tier, Driver, (bytes: Uint8Array) => Promise<void>][] = []
      const onPage = { async: opfsAsync({ directory: `${base}/async` }), idb: idb({ database: base }) }
      tiers.push(['opfs-sync', opfsSync({ directory: `${base}/sync` }), (bytes) => client.save('t', bytes)])
      tiers.push(['opfs-async', onPage.async, (bytes) => onPage.async.save('t', bytes)])
      tiers.push(['idb', onPage.idb, (bytes) => onPage.idb.save('t', bytes)])
      try {
        for (const [tier, driver, save] of tiers) {
          let last = 0
          for (let i = 0; i < 10; i++) {
            const before = Date.now()
            await save(randomBytes(100 * i))
            const after = Date.now()
            const at = await driver.savedAt!('t')
            check(at !== undefined && at > last, `${tier}: save ${i} has savedAt ${at} after ${last}`)
            check(at >= before - 1 && at <= after + 1, `${tier}: savedAt ${at} outside ${before}..${after}`)
            last = at
            await pause(5)
          }
        }
      } finally {
        await client.close()
        await Promise.all(tiers.map(([, driver]) => driver.close()))
      }
    }),

  'two tiers on one folder are one place: nothing is swept between them': () =>
    withBase(async (base) => {
      const bytes = randomBytes(3000)
      await saveIn(base, 'opfs-sync', { 'doc.bin': bytes })
      await using(
        base,
        ['opfs-sync', 'opfs-async'],
        async (client) => {
          const info = await client.info()
          check(info.driver === 'opfs-sync', `${info.driver} serves`)
          check(info.adopted.length + info.superseded.length + info.failed.length === 0, JSON.stringify(info))
          checkBytes(await client.load('doc.bin'), bytes, 'doc.bin, in place')
        },
        { shared: true },
      )
    }),

  ...adoptCasesWithoutSync,
}

const MiB = 2 ** 20

/** Ms from `new Worker` to `info()`. */
async function startMs(base: string, serve: Tier[], options?: Start): Promise<number> {
  const began = performance.now()
  await using(base, serve, (client) => client.info(), options)
  return performance.now() - began
}

const median = (times: number[]) => times.sort((a, b) => a - b)[times.length >> 1]!

/**
 * Times of adoption on this engine, per direction: one 16 MiB file, and 1,000 files of 1 KiB,
 * each from `new Worker` to `info()` (probe and sweep), beside a start with nothing to adopt.
 */
export async function adoptionTimings(): Promise<Record<string, number>> {
  const times: Record<string, number> = {}
  await withBase(async (base) => {
    // Interleaved, so that the machine's other load falls on both alike: the difference is the sweep.
    const one: number[] = []
    const three: number[] = []
    for (let i = 0; i < 21; i++) {
      one.push(await startMs(base, ['opfs-sync']))
      three.push(await startMs(base, TIERS))
    }
    times['start, one tier, nothing to adopt (median of 21)'] = median(one)
    times['start, three tiers, nothing to adopt (median of 21)'] = median(three)
  })
  for (const [from, to] of directions) {
    for (const [label, files] of [
      ['16 MiB file', { 'big.bin': randomBytes(16 * MiB) }],
      [
        '1,000 files of 1 KiB',
        Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`f${i}`, randomBytes(1024)])),
      ],
    ] as const) {
      await withBase(async (base) => {
        await saveIn(base, from, files)
        // A sweep within its source's second waits that second out (core's CLOCK_GRAIN_MS): a real
        // tier change comes later than that, and these figures are of the sweep.
        await pause(1000)
        const { serve, fail } = servedBy(to)
        times[`${from} → ${to}: ${label}`] = await startMs(base, serve, { fail })
      })
    }
  }
  return times
}
