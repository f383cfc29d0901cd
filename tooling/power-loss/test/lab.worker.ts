import { drivers } from '@stowage/browser-lab/test/drivers.ts'
import { naiveDriver } from '@stowage/browser-lab/test/naive-driver.ts'
import { serveLab } from '@stowage/browser-lab/src/lab.worker.ts'
import { unflushedDataDriver } from './unflushed-data-driver.ts'

// The drivers under trial, and two built to fail it: truncate-then-write, and two slots whose
// header is written before the data under it was flushed.
serveLab({ ...drivers, naive: naiveDriver, 'unflushed-data': unflushedDataDriver })
