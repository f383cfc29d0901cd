// '@stowage/core/driver': what a driver author (or a host such as worker-host) builds with.
export { defineDriver, need, roundTrip } from './define.js'
export type { DriverMethods } from './define.js'
export { createQueue } from './queue.js'
export { toStorageError, hasName } from './errors.js'
export { assertValidName, toBytes, typeName } from './validate.js'
export { adoptFiles, removingPending, SETTLE_MS } from './adopt.js'
export type { AdoptedFile, AdoptionFailure, AdoptionReport, AdoptOptions } from './adopt.js'
