import { serveCases } from '@stowage/browsers/worker'
import { conformanceCases, type DriverFactory } from '@stowage/core/conformance'
import { genosdbIdb } from '../src/tiers.ts'
import { deleteDatabase } from './support.ts'

/** Each call: the GenosDB IndexedDB driver on a database of its own, deleted by teardown. */
const factory: DriverFactory = async () => {
  const database = `stowage-test-${crypto.randomUUID()}`
  const driver = genosdbIdb(database)
  return {
    driver,
    reopen: () => genosdbIdb(database),
    teardown: async () => {
      await driver.close()
      await deleteDatabase(database)
    },
  }
}

serveCases(Object.fromEntries(conformanceCases.map((testCase) => [testCase.name, () => testCase.run(factory)])))
