import { hostCases } from '@stowage/browsers/page'
import { connect } from '@stowage/worker-host'
import { runSteps, type Outcome, type Step } from './steps.ts'

/**
 * Runs one segment of a model sequence on `target` (a tier's driver in a dedicated worker, or
 * 'client': worker-host's client on this page over the three-tier worker, served by the tier
 * `serving` names, else by whichever the real probes pick), in a worker started for the segment.
 * With `close` the store is closed at the end; without, the worker is terminated with whatever it
 * holds, as a closed tab would leave it.
 */
export async function runSegment(
  target: string,
  place: string,
  steps: Step[],
  close: boolean,
  serving?: string,
): Promise<Outcome[]> {
  if (target !== 'client') {
    const host = hostCases(new Worker(new URL('./model.worker.ts', import.meta.url), { type: 'module' }))
    try {
      return (await host.call('run', [target, place, steps, close], 600_000)) as Outcome[]
    } finally {
      host.terminate()
    }
  }
  const workers: Worker[] = []
  const open = async () => {
    const url = new URL('../tiers.worker.ts', import.meta.url)
    url.searchParams.set('directory', place)
    url.searchParams.set('database', place)
    if (serving) url.searchParams.set('serve', serving)
    workers.push(new Worker(url, { type: 'module' }))
    return connect(workers.at(-1)!)
  }
  try {
    const { outcomes, store } = await runSteps(open, steps)
    if (close) await store.close()
    return outcomes
  } finally {
    for (const worker of workers) worker.terminate()
  }
}

/** Deletes what any target stored under `place`: its OPFS directory and its IndexedDB database. */
export async function clearPlace(place: string): Promise<void> {
  await (await navigator.storage.getDirectory()).removeEntry(place, { recursive: true }).catch(() => undefined)
  await new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(place)
    request.onsuccess = request.onerror = request.onblocked = resolve
  })
}
