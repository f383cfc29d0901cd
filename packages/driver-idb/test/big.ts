import { check, checkBytes, randomBytes } from '@stowage/core/conformance'
import { idb, type IdbOptions } from '../src/index.ts'
import { deleteDatabase, freshName, openRaw, raw } from './support.ts'

/**
 * Saves `size` random bytes through a driver on a fresh database, loads and compares them, then
 * removes the file and checks that no key is left. Resolves with how long the save and the load took.
 */
export async function bigRoundTrip(
  size: number,
  options: IdbOptions = {},
): Promise<{ saveMs: number; loadMs: number }> {
  const database = freshName()
  const driver = idb({ ...options, database })
  try {
    const bytes = randomBytes(size)
    let start = performance.now()
    await driver.save('big', bytes)
    const saveMs = performance.now() - start
    start = performance.now()
    const loaded = await driver.load('big')
    const loadMs = performance.now() - start
    checkBytes(loaded, bytes, `load of ${size} bytes`)
    await driver.remove('big')
    const keys = await raw(database, 'files', 'readonly', (files) => files.getAllKeys())
    check(keys.length === 0, `remove left ${keys.length} keys: ${JSON.stringify(keys.slice(0, 3))}`)
    return { saveMs: Math.round(saveMs), loadMs: Math.round(loadMs) }
  } finally {
    await driver.close()
    await deleteDatabase(database)
  }
}

/**
 * What the driver did before chunks: `size` bytes put as one ArrayBuffer value. Resolves with
 * 'stored', or the error's name and message (Chromium off the record refuses over 127 MiB).
 */
export async function rawPut(size: number): Promise<string> {
  const database = freshName()
  ;(await openRaw(database, 1, (db) => db.createObjectStore('files'))).close()
  try {
    await raw(database, 'files', 'readwrite', (files) => files.put(randomBytes(size).buffer, 'one'))
    return 'stored'
  } catch (error) {
    const { name, message } = error as Error
    return `${name}: ${message}`
  } finally {
    await deleteDatabase(database)
  }
}
