import type { StorageError } from '@stowage/core'
import { check, checkBytes, randomBytes } from '@stowage/core/conformance'
import { connect, type Client } from '../src/index.ts'
import { worker } from './client.cases.ts'

/**
 * Cases for two tabs of one browser, each with its own worker on the same directory: the Node
 * side runs them in each tab in turn (and freezes a tab in between). A client made here stays
 * open between cases, as a tab's would.
 */
let holder: { worker: Worker; client: Client } | undefined
let held: Uint8Array | undefined

export const tabCases = {
  /** Saves `shared` through a worker that keeps its lease (handle and lock) for minutes when idle. */
  async hold(directory: string): Promise<void> {
    if (!holder) {
      const raw = worker('opfs', { directory, idleMs: '600000' })
      holder = { worker: raw, client: connect(raw) }
    }
    held = randomBytes(64 * 1024)
    await holder.client.save('shared', held)
  },

  /** Keeps the holding worker's event loop busy for `ms`: a hung tab's worker, lease in hand. */
  async hang(ms: number): Promise<void> {
    holder?.worker.postMessage({ hang: ms })
  },

  /** What a save of `shared` from this tab comes to within `lockTimeoutMs`: 'saved', or the error's code and message. */
  async save(directory: string, lockTimeoutMs: number): Promise<{ outcome: string; message?: string }> {
    const client = connect(worker('opfs', { directory, lockTimeoutMs: String(lockTimeoutMs) }))
    try {
      const bytes = randomBytes(64 * 1024)
      await client.save('shared', bytes)
      checkBytes(await client.load('shared'), bytes, 'the saved file, read back')
      return { outcome: 'saved' }
    } catch (error) {
      const { code, message } = error as StorageError
      return { outcome: code ?? String(error), message }
    } finally {
      await client.close()
    }
  },

  /** Closes the holding worker (gives back its lease) and deletes the directory. */
  async release(directory: string): Promise<void> {
    await holder?.client.close()
    holder = held = undefined
    await (await navigator.storage.getDirectory()).removeEntry(directory, { recursive: true }).catch(() => undefined)
  },

  /** The holder's last save is what a fresh worker of this tab loads. */
  async holderWasLast(directory: string): Promise<void> {
    const client = connect(worker('opfs', { directory }))
    try {
      check(held !== undefined, 'this tab saved nothing')
      checkBytes(await client.load('shared'), held!, 'the file once the hung worker came back')
    } finally {
      await client.close()
    }
  },
}
