import { memoryDriver } from '@stowage/core'
import { serveLab } from '../src/lab.worker.ts'
import { drivers } from './drivers.ts'
import { naiveDriver } from './naive-driver.ts'

// Besides the drivers under trial, two that each trial must catch: a save that tears, a store that forgets.
serveLab({ ...drivers, naive: naiveDriver, memory: () => memoryDriver() })
