import { memoryDriver } from '@stowage/core'
import { serveLab } from '../src/lab.worker.ts'
import { drivers } from './drivers.ts'
import { naiveDriver } from './naive-driver.ts'
import { rawWritableDriver } from './raw-writable-driver.ts'
import { splitIdbDriver } from './split-idb-driver.ts'

// Besides the drivers under trial, some that a trial must catch: saves that tear (on a sync handle,
// or split in two IndexedDB transactions), a store that forgets, and the browser's own
// createWritable (torn on Firefox: see test/hunt.firefox.node.test.ts).
serveLab({
  ...drivers,
  naive: naiveDriver,
  'split-idb': splitIdbDriver,
  'raw-writable': rawWritableDriver,
  memory: () => memoryDriver(),
})
