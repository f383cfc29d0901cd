import { automergeWasmBase64 } from '@automerge/automerge/automerge.wasm.base64'
import { initializeBase64Wasm } from '@automerge/automerge/slim'
import {
  Automerge,
  type AutomergeUrl,
  type DocHandle,
  Repo,
  type StorageAdapterInterface,
} from '@automerge/automerge-repo/slim'
import { BroadcastChannelNetworkAdapter } from '@automerge/automerge-repo-network-broadcastchannel'
import { IndexedDBStorageAdapter } from '@automerge/automerge-repo-storage-indexeddb'
import { type Client, connect } from '@stowage/worker-host'
import { exposeCases } from '@stowage/browsers/page'
import { importFromIndexedDB, stowageAdapter } from '../src/index.ts'
import { fromWire, toWire } from './wire.ts'

/**
 * The page the engine tests serve. Node drives it: automerge-repo's acceptance suite calls an
 * adapter that lives here, over a real Stowage worker; Repo cases keep their repos here between calls.
 */
type Doc = Record<string, unknown>

// The page is bundled by esbuild, which has no wasm loader: the slim entries, and the wasm as base64.
const wasm = initializeBase64Wasm(automergeWasmBase64)

/** A client of a fresh worker that serves exactly `tier`. */
async function clientOn(tier: string): Promise<Client> {
  const worker = new Worker(new URL('./tiers.worker.ts', import.meta.url), { type: 'module', name: tier })
  const client = connect(worker)
  const { driver, probes } = await client.info()
  if (driver !== tier) throw new Error(`Wanted ${tier}, served by ${driver}: ${JSON.stringify(probes)}`)
  return client
}

const suiteClients = new Map<string, Promise<Client>>()
const adapters = new Map<number, { adapter: StorageAdapterInterface; client: Client; namespace: string }>()
const repos = new Map<number, { repo: Repo; client: Client }>()
let nextId = 1

function repoOf(id: number): Repo {
  const open = repos.get(id)
  if (!open) throw new Error(`No repo ${id}`)
  return open.repo
}

/** Resolves once the document has `field`, or rejects after `timeoutMs`. */
function fieldArrives(handle: DocHandle<Doc>, field: string, timeoutMs: number): Promise<Doc> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const doc = handle.doc()
      if (doc && field in doc) {
        handle.off('change', check)
        clearTimeout(timer)
        resolve(doc)
      }
    }
    const timer = setTimeout(() => {
      handle.off('change', check)
      const state = { state: handle.state, heads: handle.heads(), doc: handle.doc() }
      reject(new Error(`"${field}" did not arrive within ${timeoutMs} ms: ${JSON.stringify(state)}`))
    }, timeoutMs)
    handle.on('change', check)
    check()
  })
}

/** A client that counts the calls made through it. */
function counting(client: Client) {
  const calls = { load: 0, list: 0 }
  const counted: Client = {
    ...client,
    load(file) {
      calls.load++
      return client.load(file)
    },
    list() {
      calls.list++
      return client.list()
    },
  }
  return { counted, calls }
}

const since = (start: number) => Math.round((performance.now() - start) * 100) / 100

/** Storage for one bench run: the official IndexedDB adapter, or this adapter on a fresh worker of a tier. */
async function benchStorage(contender: string, run: string) {
  if (contender === 'official-idb')
    return { storage: new IndexedDBStorageAdapter(`bench-${run}`), close: async () => {} }
  const client = await clientOn(contender)
  return { storage: stowageAdapter(client, { namespace: `bench-${run}` }), close: () => client.close() }
}

const text = (length: number) =>
  Array.from({ length }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')

/** The save loop of a crash trial: how many changes the last finished flush holds. */
let acked = 0

exposeCases({
  /**
   * Starts a Repo on `tier` changing one document for ever (the one at `url`, or a new one),
   * flushing every 5th change; resolves with the document's url while the loop goes on.
   */
  async 'crash: write'(tier: string, url: AutomergeUrl | null) {
    await wasm
    const repo = new Repo({ storage: stowageAdapter(await clientOn(tier)), network: [] })
    const handle = url ? await repo.find<Doc>(url) : repo.create<Doc>({ count: 0, log: [] })
    acked = (handle.doc().count as number) ?? 0
    void (async () => {
      for (;;) {
        handle.change((doc) => {
          doc.count = (doc.count as number) + 1
          ;(doc.log as string[]).push(`${doc.count} ${'x'.repeat(200 + Math.floor(Math.random() * 800))}`)
        })
        const count = handle.doc().count as number
        if (count % 5 === 0) {
          await repo.flush([handle.documentId])
          acked = count
        }
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10))
      }
    })()
    return handle.url
  },
  'crash: acked': () => acked,

  /** Timed on the page: `changes` changes to one document, each awaited to storage (`repo.flush`); resolves with ms per change. */
  async 'bench: persist'(contender: string, changes: number) {
    await wasm
    const { storage, close } = await benchStorage(contender, `${contender}-${Math.random().toString(36).slice(2)}`)
    const repo = new Repo({ storage, network: [] })
    const handle = repo.create<Doc>({ items: [] })
    const start = performance.now()
    for (let i = 0; i < changes; i++) {
      handle.change((doc) => {
        ;(doc.items as unknown[]).push({ i, note: text(40) })
      })
      await repo.flush([handle.documentId])
    }
    const perChangeMs = (performance.now() - start) / changes
    await repo.shutdown()
    await close()
    return perChangeMs
  },
  /**
   * A document of `changes` changes (20 characters typed into a text each, and a list item every
   * 10th) is stored; timed on the page: a new Repo on new storage (a new worker) finds it whole.
   */
  async 'bench: load'(contender: string, changes: number) {
    await wasm
    const run = `${contender}-${Math.random().toString(36).slice(2)}`
    const first = await benchStorage(contender, run)
    const repo = new Repo({ storage: first.storage, network: [] })
    const handle = repo.create<Doc>({ body: '', items: [] })
    for (let i = 0; i < changes; i++)
      handle.change((doc) => {
        Automerge.splice(doc, ['body'], i * 20, 0, text(20))
        if (i % 10 === 0) (doc.items as unknown[]).push({ i, done: false })
      })
    await repo.flush()
    const docBytes = (await repo.export(handle.url))?.length ?? 0
    await repo.shutdown()
    await first.close()

    const second = await benchStorage(contender, run)
    const again = new Repo({ storage: second.storage, network: [] })
    const start = performance.now()
    const loaded = (await again.find<Doc>(handle.url)).doc()
    const loadMs = performance.now() - start
    await again.shutdown()
    await second.close()
    if ((loaded.body as string).length !== changes * 20) throw new Error('The loaded document is not whole')
    return { loadMs, docBytes }
  },
  /** What a new Repo on `tier` finds at `url`: its count, and how many entries its log holds. */
  async 'crash: read'(tier: string, url: AutomergeUrl) {
    await wasm
    const client = await clientOn(tier)
    const repo = new Repo({ storage: stowageAdapter(client), network: [] })
    try {
      const doc = (await repo.find<Doc>(url)).doc()
      return { count: doc.count, entries: (doc.log as unknown[]).length }
    } finally {
      await repo.shutdown()
      await client.close()
    }
  },
  /**
   * `docs` × `chunks` chunk files of 256 bytes, then a fresh adapter's range calls, timed: the
   * first loadRange (which waits for the listing), later ones, and a removeRange; with the store's
   * list() alone for comparison, and how many files each call loaded.
   */
  async 'scale: ranges'(tier: string, docs: number, chunks: number) {
    const client = await clientOn(tier)
    try {
      const writer = stowageAdapter(client, { namespace: 'scale' })
      const data = new Uint8Array(256).fill(7)
      let start = performance.now()
      for (let doc = 0; doc < docs; doc++)
        await Promise.all(
          Array.from({ length: chunks }, (_, i) => writer.save([`doc${doc}`, 'incremental', `${i}`.repeat(64)], data)),
        )
      const saveAllMs = since(start)
      start = performance.now()
      const files = (await client.list()).filter((name) => name.startsWith('scale.')).length
      const listMs = since(start)

      const { counted, calls } = counting(client)
      const adapter = stowageAdapter(counted, { namespace: 'scale' })
      start = performance.now()
      const first = await adapter.loadRange(['doc0'])
      const firstRangeMs = since(start)
      const firstLoads = calls.load
      start = performance.now()
      for (let doc = 1; doc <= 20; doc++) {
        const found = await adapter.loadRange([`doc${doc}`, 'incremental'])
        if (found.length !== chunks) throw new Error(`doc${doc}: ${found.length} chunks, not ${chunks}`)
      }
      const laterRangeMs = since(start) / 20
      const laterLoads = (calls.load - firstLoads) / 20
      start = performance.now()
      await adapter.removeRange(['doc1'])
      const removeRangeMs = since(start)
      const lists = calls.list
      await adapter.removeRange([])
      return {
        files,
        saveAllMs,
        listMs,
        firstRangeMs,
        firstChunks: first.length,
        firstLoads,
        laterRangeMs,
        laterLoads,
        removeRangeMs,
        lists,
      }
    } finally {
      await client.close()
    }
  },

  /** A fresh adapter, in a namespace of its own, over the tier's one client (as an app has one). */
  async 'adapter: open'(tier: string) {
    const client = suiteClients.get(tier) ?? clientOn(tier)
    suiteClients.set(tier, client)
    const id = nextId++
    const namespace = `suite${id}`
    adapters.set(id, { adapter: stowageAdapter(await client, { namespace }), client: await client, namespace })
    return id
  },
  async 'adapter: call'(id: number, method: keyof StorageAdapterInterface, args: unknown[]) {
    const open = adapters.get(id)
    if (!open) throw new Error(`No adapter ${id}`)
    const call = open.adapter[method] as (...args: unknown[]) => Promise<unknown>
    return toWire(await call.apply(open.adapter, fromWire(args) as unknown[]))
  },
  /** Removes what the test stored, and checks that nothing of its namespace is left. */
  async 'adapter: drop'(id: number) {
    const open = adapters.get(id)
    if (!open) return
    adapters.delete(id)
    await open.adapter.removeRange([])
    const left = (await open.client.list()).filter((name) => name.startsWith(`${open.namespace}.`))
    if (left.length) throw new Error(`Left behind: ${left.join(', ')}`)
  },

  /** A Repo on a fresh worker of `tier`, on the BroadcastChannel `network` when one is named. */
  async 'repo: open'(tier: string, network?: string) {
    await wasm
    const client = await clientOn(tier)
    const repo = new Repo({
      storage: stowageAdapter(client),
      network: network ? [new BroadcastChannelNetworkAdapter({ channelName: network })] : [],
    })
    const id = nextId++
    repos.set(id, { repo, client })
    return id
  },
  /** Joins the BroadcastChannel `network`, for a repo opened without one. */
  'repo: connect'(id: number, network: string) {
    repoOf(id).networkSubsystem.addNetworkAdapter(new BroadcastChannelNetworkAdapter({ channelName: network }))
  },
  /** Resolves once every document the repo has is in storage. */
  'repo: flush'(id: number) {
    return repoOf(id).flush()
  },
  /** Resolves once the repo has a peer (the other tab), or rejects after 20 s. */
  async 'repo: peered'(id: number) {
    const repo = repoOf(id)
    for (const start = Date.now(); !repo.peers.length; await new Promise((resolve) => setTimeout(resolve, 20)))
      if (Date.now() - start > 20_000) throw new Error('No peer within 20 s')
  },
  /**
   * A Repo on the official IndexedDB adapter writes `docs` documents; `importFromIndexedDB`
   * copies them into Stowage on `tier`; a Repo on Stowage alone finds them. Resolves with what
   * each side saw, and whether importing from a database that does not exist created it.
   */
  async 'migrate: from indexeddb'(tier: string, docs: number) {
    await wasm
    const database = `automerge-migrate-${tier}`
    const old = new Repo({ storage: new IndexedDBStorageAdapter(database), network: [] })
    const urls = Array.from({ length: docs }, (_, i) => old.create<Doc>({ title: `old ${i}`, items: [i] }).url)
    const before: unknown[] = []
    for (const url of urls) {
      const handle = await old.find<Doc>(url)
      handle.change((doc) => {
        doc.edited = true
      })
      before.push(handle.doc())
    }
    await old.flush()
    await old.shutdown()

    const client = await clientOn(tier)
    const adapter = stowageAdapter(client, { namespace: `migrated-${tier}` })
    const copied = await importFromIndexedDB(adapter, { database })
    const none = await importFromIndexedDB(adapter, { database: `${database}-absent` })
    const created = (await indexedDB.databases()).some(({ name }) => name === `${database}-absent`)
    const repo = new Repo({ storage: stowageAdapter(client, { namespace: `migrated-${tier}` }), network: [] })
    try {
      const after = await Promise.all(urls.map((url) => repo.find<Doc>(url).then((handle) => handle.doc())))
      return { copied, none, created, before, after }
    } finally {
      await repo.shutdown()
      await client.close()
      indexedDB.deleteDatabase(database)
    }
  },
  'repo: create'(id: number, initial: Doc) {
    return repoOf(id).create<Doc>(initial).url
  },
  /** `changes` edits of a document: each sets one field and appends to a list, as an app's edits do. */
  async 'repo: change'(id: number, url: AutomergeUrl, field: string, changes = 1) {
    const handle = await repoOf(id).find<Doc>(url)
    for (let i = 0; i < changes; i++)
      handle.change((doc) => {
        doc[field] = i
        if (!Array.isArray(doc.log)) doc.log = []
        ;(doc.log as string[]).push(`${field} ${i}`)
      })
  },
  async 'repo: doc'(id: number, url: AutomergeUrl, waitFor?: string) {
    const handle = await repoOf(id).find<Doc>(url)
    return waitFor ? fieldArrives(handle, waitFor, 20_000) : handle.doc()
  },
  /** Flushes every document to storage, shuts the repo down and ends its worker. */
  async 'repo: close'(id: number) {
    const open = repos.get(id)
    if (!open) return
    repos.delete(id)
    await open.repo.flush()
    await open.repo.shutdown()
    await open.client.close()
  },
})
