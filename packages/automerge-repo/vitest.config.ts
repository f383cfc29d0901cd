import { defineConfig } from 'vitest/config'
import { stowageTests } from '../../tooling/browser-test/src/vitest.ts'

export default defineConfig(stowageTests({ node: ['test/**/*.node.test.ts'] }))
