import { checkTiers, TIERS, type ConfigMessage, type Tier } from './config.js'

export type { Tier } from './config.js'

export interface GenosDBOptions {
  /** The tiers to try, in order; the first whose probe passes serves. Default `['opfs', 'idb']`. */
  tiers?: Tier[]
  /**
   * Where the worker script is served. Default: `worker.js` next to this module, found through
   * `import.meta.url` (bundlers that understand `new URL(…, import.meta.url)` ship it).
   */
  url?: string | URL
}

/**
 * A module Worker that speaks GenosDB's persistence protocol (`load`/`save` in, `loaded`/`saved`/
 * `error` out) from GenosDB's own file locations, on Stowage's crash-safe, tab-safe drivers.
 */
export function createGenosDBWorker(options: GenosDBOptions = {}): Worker {
  return spawn(Worker, options.url ?? workerUrl(), options.tiers)
}

/**
 * Makes the next `new Worker(url)` whose `url` is a `blob:` URL (the way GenosDB starts its
 * persistence worker) return `createGenosDBWorker(options)` instead; then puts the global `Worker`
 * back. Any other worker constructed meanwhile is the browser's own. Returns a function that undoes
 * it, for when no such worker came. Call it right before `gdb(…)`.
 */
export function installGenosDB(options: GenosDBOptions = {}): () => void {
  checkTiers(options.tiers ?? TIERS)
  const original = globalThis.Worker
  // Where there is no Worker, GenosDB cannot start one either.
  if (typeof original !== 'function') return () => {}
  const url = options.url ?? workerUrl()
  let armed = true

  const patched = new Proxy(original, {
    construct(target, args: ConstructorParameters<typeof Worker>, newTarget) {
      if (!armed || !String(args[0]).startsWith('blob:')) return Reflect.construct(target, args, newTarget)
      undo()
      return spawn(target, url, options.tiers)
    },
  })

  function undo(): void {
    armed = false
    // Someone who patched Worker after us keeps their patch; ours, disarmed, passes every call through.
    if (globalThis.Worker === patched) globalThis.Worker = original
  }

  globalThis.Worker = patched
  return undo
}

function spawn(WorkerClass: typeof Worker, url: string | URL, tiers: readonly Tier[] = TIERS): Worker {
  checkTiers(tiers)
  // The name shows in the browser's devtools.
  const worker = new WorkerClass(url, { type: 'module', name: 'stowage-genosdb' })
  // Queued before GenosDB can post anything, so the worker reads it first.
  worker.postMessage({ stowageGenosDB: 1, tiers: [...tiers] } satisfies ConfigMessage)
  return worker
}

function workerUrl(): URL {
  // Empty in the CommonJS build, which has no worker file beside it that a browser could load.
  if (!import.meta.url) throw new TypeError('@stowage/genosdb cannot locate its worker script here: pass options.url')
  return new URL('./worker.js', import.meta.url)
}
