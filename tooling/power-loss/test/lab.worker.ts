import { serveLab } from '@stowage/browser-lab/src/lab.worker.ts'
import { drivers } from '@stowage/browser-lab/test/drivers.ts'
import { naiveDriver } from '@stowage/browser-lab/test/naive-driver.ts'
import { idb } from '@stowage/driver-idb'
import { earlyRemoveDriver } from './early-remove-driver.ts'
import { relaxedRemoveDriver } from './relaxed-remove-driver.ts'
import { unflushedDataDriver, unflushedRelaxedDriver } from './unflushed-data-driver.ts'

serveLab({
  ...drivers,
  // idb with every record under Blink's 64 KiB threshold, past which a value is written as a blob
  // file beside the LevelDB log: whether keeping records inline spares the blob files' losses.
  'idb-inline': (place) => idb({ database: place, store: 'files', chunkSize: 60 * 1024 }),
  // Built to fail: truncate-then-write, two slots whose header is written before the data under
  // it was flushed, and a relaxed save that flushes nothing.
  naive: naiveDriver,
  'unflushed-data': unflushedDataDriver,
  'unflushed-relaxed': unflushedRelaxedDriver,
  // Built to fail under power loss: a remove that resolves 300 ms before it removes the file, and
  // an idb remove committed relaxed.
  'early-remove': earlyRemoveDriver,
  'relaxed-remove': relaxedRemoveDriver,
})
