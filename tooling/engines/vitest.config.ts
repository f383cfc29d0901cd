import { stowageTests } from '@stowage/browser-test/vitest'

export default stowageTests({ node: ['test/**/*.node.test.ts'] })
