export { stowageAdapter, type StowageAdapterOptions } from './adapter.js'
export type { Watchable } from './catalog.js'
export { importFromIndexedDB, type ImportOptions } from './migrate.js'
