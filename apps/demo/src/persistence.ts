import { isStorageError } from '@stowage/core'
import type { Client } from '@stowage/worker-host'
import { pack, unpack } from './codec.js'
import type { Graph } from './graph.js'

export const GRAPH_FILE = 'graph.bin'
const DEBOUNCE_MS = 300

/** What the storage panel shows about the graph file. */
export interface Stats {
  state: 'loading' | 'clean' | 'pending' | 'saving' | 'error'
  saveMs?: number
  encodeMs?: number
  loadMs?: number
  decodeMs?: number
  /** Bytes stored (compressed) and bytes encoded before compression. */
  stored?: number
  raw?: number
  error?: string
  /** When the graph was last reloaded because another tab saved it. */
  followedAt?: Date
}

export interface PersistenceHooks {
  stats(stats: Stats): void
  /** Another tab saved the graph: here it is as stored now (undefined once removed). */
  remote(graph: Graph | undefined): void
}

/**
 * Loads and saves the graph through the storage client: saves 300 ms after the last edit, and
 * follows saves made by other tabs. Last writer wins: a remote save that lands while this tab has
 * unsaved edits is overwritten by them, and the other tab follows in turn.
 */
export function createPersistence(client: Client, current: () => Graph, hooks: PersistenceHooks) {
  const stats: Stats = { state: 'loading' }
  let timer: ReturnType<typeof setTimeout> | undefined
  let inFlight = 0
  let issued = 0
  let missedRemote = false

  function update(patch: Partial<Stats>): void {
    Object.assign(stats, patch)
    hooks.stats({ ...stats })
  }

  const settled = (): Stats['state'] => (timer ? 'pending' : inFlight ? 'saving' : 'clean')

  /** The stored graph, or undefined when there is none yet; a failure is shown, then thrown. */
  async function load(): Promise<Graph | undefined> {
    const started = performance.now()
    try {
      const bytes = await client.load(GRAPH_FILE)
      const loaded = performance.now()
      const { graph, raw } = unpack(bytes)
      update({
        state: settled(),
        loadMs: loaded - started,
        decodeMs: performance.now() - loaded,
        stored: bytes.length,
        raw,
        error: undefined,
      })
      return graph
    } catch (error) {
      if (isStorageError(error, 'NOT_FOUND')) {
        update({ state: settled(), loadMs: performance.now() - started, stored: undefined, raw: undefined })
        return undefined
      }
      update({ state: 'error', error: `Could not load ${GRAPH_FILE}: ${describe(error)}` })
      throw error
    }
  }

  async function save(): Promise<void> {
    timer = undefined
    const ticket = ++issued
    const started = performance.now()
    const { bytes, raw } = pack(current())
    const stored = bytes.length // read before the transfer detaches the buffer
    const encoded = performance.now()
    inFlight++
    update({ state: 'saving', encodeMs: encoded - started })
    try {
      await client.save(GRAPH_FILE, bytes, { transfer: true })
      inFlight--
      const latest = ticket === issued ? { saveMs: performance.now() - encoded, stored, raw, error: undefined } : {}
      update({ ...latest, state: settled() })
    } catch (error) {
      inFlight--
      update({ state: 'error', error: `Could not save ${GRAPH_FILE}: ${describe(error)}` })
    }
    if (missedRemote && settled() === 'clean') {
      missedRemote = false
      follow()
    }
  }

  function follow(): void {
    load().then(
      (graph) => {
        // Edits made while it loaded win: they are about to be saved over it.
        if (settled() !== 'clean') return
        update({ followedAt: new Date() })
        hooks.remote(graph)
      },
      () => undefined, // already shown in the status
    )
  }

  client.watch((change) => {
    if (change.file !== GRAPH_FILE) return
    // Our own edits are about to land on top; look again once they have.
    if (settled() !== 'clean') missedRemote = true
    else follow()
  })

  return {
    load,
    /** The graph changed: save it once edits pause. */
    changed(): void {
      clearTimeout(timer)
      timer = setTimeout(() => void save(), DEBOUNCE_MS)
      update({ state: 'pending' })
    },
    /** Saves now what is waiting for the pause (the page is going away). */
    flush(): void {
      if (!timer) return
      clearTimeout(timer)
      void save()
    },
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error))
