// '@stowage/core/driver': what a driver author (or a host such as worker-host) builds with.
export { driverCalls, need, roundTrip } from './calls.js'
export { createQueue } from './queue.js'
export { toStorageError, hasName } from './errors.js'
export { assertValidName, toBytes, typeName } from './validate.js'
