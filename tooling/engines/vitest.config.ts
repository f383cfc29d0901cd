import { stowageTests } from '@stowage/browsers/vitest'

export default stowageTests({ node: ['test/**/*.node.test.ts'] })
