import { stowageTests } from '@stowage/browser-test/vitest'
import { defineConfig } from 'vitest/config'

export default defineConfig(stowageTests({ node: ['test/**/*.node.test.ts'] }))
