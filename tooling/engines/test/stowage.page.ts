import { conformanceCases, type DriverFactory } from '@stowage/core/conformance'
import { chunkCases } from '../../../packages/driver-idb/test/chunk-cases.ts'
import { factory as idbFactory } from '../../../packages/driver-idb/test/support.ts'
import { freshDriver as opfsAsyncFactory } from '../../../packages/driver-opfs-async/test/helpers.ts'
import { adoptCases, adoptionTimings } from '../../../packages/worker-host/test/adopt.cases.ts'
import { clientCases } from '../../../packages/worker-host/test/client.cases.ts'
import { tabCases } from '../../../packages/worker-host/test/tabs.cases.ts'
import { exposeCases, workerCases } from '@stowage/browsers/page'
import { clearPlace, runSegment } from './model/model.page.ts'
import { tierSelection } from './tiers.cases.ts'

/**
 * The page every engine test serves. The drivers' own test workers and worker-host's own page
 * cases run here unchanged, as they run in vitest's Chromium.
 */
const kit = conformanceCases.map(({ name }) => name)
const chunks = Object.keys(chunkCases)
const onPage = (prefix: string, factory: DriverFactory) =>
  Object.fromEntries(conformanceCases.map((testCase) => [`${prefix}${testCase.name}`, () => testCase.run(factory)]))
const module = { type: 'module' } as const
/** A round trip of 1 GiB took Firefox minutes on a busy machine. */
const BIG_MS = 900_000

exposeCases({
  ...workerCases(
    'opfs-sync worker: ',
    () => new Worker(new URL('../../../packages/driver-opfs-sync/test/opfs-sync.worker.ts', import.meta.url), module),
    kit.map((name) => `kit: ${name}`),
  ),
  ...workerCases(
    'opfs-async worker: ',
    () => new Worker(new URL('../../../packages/driver-opfs-async/test/opfs-async.worker.ts', import.meta.url), module),
    kit,
  ),
  ...workerCases(
    'idb worker: ',
    () => new Worker(new URL('../../../packages/driver-idb/test/idb.worker.ts', import.meta.url), module),
    [...kit, ...chunks],
  ),
  ...onPage('opfs-async page: ', opfsAsyncFactory),
  ...onPage('idb page: ', idbFactory),
  ...Object.fromEntries(Object.entries(clientCases).map(([name, body]) => [`worker-host: ${name}`, body])),
  ...Object.fromEntries(Object.entries(tabCases).map(([name, body]) => [`tabs: ${name}`, body])),
  ...Object.fromEntries(Object.entries(adoptCases).map(([name, body]) => [`adopt: ${name}`, body])),
  'adopt: timings': adoptionTimings,
  ...workerCases('persist: ', () => new Worker(new URL('./persist.worker.ts', import.meta.url), module), [
    'save',
    'load',
    'remove',
  ]),
  ...workerCases(
    'big: ',
    () => new Worker(new URL('./big.worker.ts', import.meta.url), module),
    ['round trip', 'raw put', 'opfs'],
    BIG_MS,
  ),
  'tier selection': tierSelection,
  'model: run': runSegment,
  'model: clear': clearPlace,
})
