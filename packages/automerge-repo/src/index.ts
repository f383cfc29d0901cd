export { stowageAdapter, type StowageAdapterOptions } from './adapter.js'
export type { Watchable } from './catalog.js'
