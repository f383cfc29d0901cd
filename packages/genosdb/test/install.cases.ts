import { check, checkBytes, randomBytes } from '@stowage/core/conformance'
import { createGenosDBWorker, installGenosDB } from '../src/index.ts'
import { genosClient } from './client.ts'
import { freshDb, readRoot, removeRoot } from './support.ts'

/** Page-side test bodies for the ways in: `installGenosDB`, and our worker started by hand. */

/** A stand-in for GenosDB's own persistence worker, from a blob: URL as GenosDB makes it. It loads a marker. */
const MARKER = [0xb1, 0x0b]
const STOCK_SCRIPT = `self.onmessage = ({ data }) => self.postMessage({ type: 'loaded', name: data.name, data: Uint8Array.of(${MARKER}) })`

async function withPage(
  body: (page: { file: string; blobUrl: string; track(worker: Worker): Worker }) => Promise<void>,
): Promise<void> {
  const original = globalThis.Worker
  const { file } = freshDb('install')
  const blobUrl = URL.createObjectURL(new Blob([STOCK_SCRIPT], { type: 'text/javascript' }))
  const workers: Worker[] = []
  try {
    await body({
      file,
      blobUrl,
      track: (worker) => {
        workers.push(worker)
        return worker
      },
    })
  } finally {
    globalThis.Worker = original
    for (const worker of workers) worker.terminate()
    URL.revokeObjectURL(blobUrl)
    await removeRoot(file)
  }
}

const otherWorker = () => new Worker(new URL('./other.worker.ts', import.meta.url), { type: 'module' })
const answer = (worker: Worker) => genosClient(worker).raw('hello') as Promise<unknown>
const isMarker = (bytes: Uint8Array) => bytes.join() === MARKER.join()

export const installCases: Record<string, () => Promise<void>> = {
  'installGenosDB gives the next blob: worker ours, leaves other workers alone, and puts Worker back': () =>
    withPage(async ({ file, blobUrl, track }) => {
      const original = globalThis.Worker
      const undo = installGenosDB()
      check(globalThis.Worker !== original, 'Worker is not patched')

      check((await answer(track(otherWorker()))) === 'other worker', 'a module worker of the page was swapped')
      check(globalThis.Worker !== original, 'a worker that is not blob: used up the patch')

      const swapped = track(new Worker(blobUrl))
      check(globalThis.Worker === original, 'Worker was not put back after the blob: worker')
      check(swapped instanceof original, 'our worker is no Worker')
      const client = genosClient(swapped)
      const loaded = await client.load(file)
      check(loaded.length === 0 && !isMarker(loaded), 'the blob: worker is GenosDB’s own, not ours')
      const bytes = randomBytes(4096)
      await client.save(file, bytes)
      checkBytes((await readRoot(file))!, bytes, 'the OPFS root file our worker wrote')

      check(isMarker(await genosClient(track(new Worker(blobUrl))).load(file)), 'a second blob: worker was swapped too')
      undo()
      check(globalThis.Worker === original, 'undo after the swap changed Worker')
    }),

  'undo before any blob: worker puts Worker back, and blob: workers stay GenosDB’s own': () =>
    withPage(async ({ file, blobUrl, track }) => {
      const original = globalThis.Worker
      const undo = installGenosDB()
      undo()
      check(globalThis.Worker === original, 'undo did not put Worker back')
      check(isMarker(await genosClient(track(new Worker(blobUrl))).load(file)), 'a blob: worker was swapped after undo')
    }),

  'the patched Worker still behaves as the constructor: prototype, instanceof, no call without new': () =>
    withPage(async ({ track }) => {
      const original = globalThis.Worker
      const undo = installGenosDB()
      check(Worker.prototype === original.prototype, 'the prototype differs')
      const worker = track(otherWorker())
      check(worker instanceof Worker && worker instanceof original, 'instanceof fails')
      let error: unknown
      try {
        ;(Worker as unknown as (url: string) => Worker)('x.js')
      } catch (caught) {
        error = caught
      }
      check(error instanceof TypeError, `calling Worker without new gave ${String(error)}`)
      undo()
    }),

  'bad options are refused at once, and Worker is left as it was': () =>
    withPage(async () => {
      const original = globalThis.Worker
      for (const tiers of [[], ['disk'], ['opfs', 'opfs']]) {
        let error: unknown
        try {
          installGenosDB({ tiers: tiers as never })
        } catch (caught) {
          error = caught
        }
        check(error instanceof TypeError, `tiers ${JSON.stringify(tiers)} gave ${String(error)}`)
        check(globalThis.Worker === original, 'a refused install patched Worker')
      }
      let error: unknown
      try {
        createGenosDBWorker({ tiers: ['disk' as never] })
      } catch (caught) {
        error = caught
      }
      check(error instanceof TypeError, `createGenosDBWorker gave ${String(error)}`)
    }),

  'the worker script started by hand, with no options, serves GenosDB from the OPFS root': () =>
    withPage(async ({ file, track }) => {
      const client = genosClient(track(new Worker(new URL('../src/worker.ts', import.meta.url), { type: 'module' })))
      check((await client.load(file)).length === 0, 'a missing file did not load empty')
      const bytes = randomBytes(2048)
      await client.save(file, bytes)
      checkBytes((await readRoot(file))!, bytes, 'the OPFS root file')
    }),
}
