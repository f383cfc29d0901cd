import { conformanceCases } from '@stowage/core/conformance'
import { chunkCases } from '../../../packages/driver-idb/test/chunk-cases.ts'
import { adoptCases, adoptCasesWithoutSync } from '../../../packages/worker-host/test/adopt.cases.ts'
import { clientCases } from '../../../packages/worker-host/test/client.cases.ts'

/** The names of the cases the page serves, for the Node side to declare one test each. */
export const kitNames = conformanceCases.map(({ name }) => name)
export const clientNames = Object.keys(clientCases)
export const chunkNames = Object.keys(chunkCases)
export const adoptNames = Object.keys(adoptCases)
export const adoptNamesWithoutSync = Object.keys(adoptCasesWithoutSync)
