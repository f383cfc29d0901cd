import { defineConfig } from 'vitest/config'
import { stowageTests } from './src/vitest.ts'

export default defineConfig(stowageTests({ node: ['test/**/*.node.test.ts'], browser: ['test/**/*.browser.test.ts'] }))
