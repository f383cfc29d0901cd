import { memoryDriver } from '../src/index.ts'
import { describeConformance } from '../src/conformance/vitest.ts'

describeConformance('memory driver in Node', async () => ({ driver: memoryDriver() }))
