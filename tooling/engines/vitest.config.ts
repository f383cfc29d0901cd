import { stowageTests } from '../browser-test/src/vitest.ts'

export default stowageTests({ node: ['test/**/*.node.test.ts'] })
