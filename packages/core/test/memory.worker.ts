import { serveCases } from '@stowage/browsers/worker'
import { conformanceCases } from '../src/conformance/index.ts'
import { memoryDriver } from '../src/index.ts'

const factory = async () => ({ driver: memoryDriver() })

serveCases(Object.fromEntries(conformanceCases.map((testCase) => [testCase.name, () => testCase.run(factory)])))
