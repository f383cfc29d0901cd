import { automergeWasmBase64 } from '@automerge/automerge/automerge.wasm.base64'
import { initializeBase64Wasm } from '@automerge/automerge/slim'
import { type AutomergeUrl, type DocHandle, Repo, type StorageAdapterInterface } from '@automerge/automerge-repo/slim'
import { BroadcastChannelNetworkAdapter } from '@automerge/automerge-repo-network-broadcastchannel'
import { type Client, connect } from '@stowage/worker-host'
import { exposeCases } from '../../../tooling/engines/src/page.ts'
import { stowageAdapter } from '../src/index.ts'
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
      reject(new Error(`"${field}" did not arrive within ${timeoutMs} ms`))
    }, timeoutMs)
    handle.on('change', check)
    check()
  })
}

exposeCases({
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
    return toWire(await call(...(fromWire(args) as unknown[])))
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
  /** Resolves once the repo has a peer (the other tab), or rejects after 20 s. */
  async 'repo: peered'(id: number) {
    const repo = repoOf(id)
    for (const start = Date.now(); !repo.peers.length; await new Promise((resolve) => setTimeout(resolve, 20)))
      if (Date.now() - start > 20_000) throw new Error('No peer within 20 s')
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
