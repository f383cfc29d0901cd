// What an app uses, and the contract a driver meets. Helpers for writing a driver are in
// '@stowage/core/driver', and those the OPFS drivers share in '@stowage/core/opfs'.
export type { CallOptions, Driver, DriverSaveOptions, Durability, SaveOptions, Store } from './driver.js'
export { StorageError, isStorageError, ERROR_CODES } from './errors.js'
export type { ErrorCode, ErrorContext } from './errors.js'
export { LOCK_TIMEOUT_MS } from './bound.js'
export { createStore } from './store.js'
export type { StoreOptions, Write } from './store.js'
export { memoryDriver } from './memory.js'
export { RESERVED_PREFIX, MAX_NAME_BYTES } from './validate.js'
