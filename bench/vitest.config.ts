import { stowageTests } from '../tooling/browser-test/src/vitest.ts'
import { defineConfig } from 'vitest/config'

export default defineConfig(stowageTests({ node: ['test/**/*.node.test.ts'] }))
