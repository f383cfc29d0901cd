import { stowageTests } from '@stowage/browsers/vitest'
import { defineConfig } from 'vitest/config'

export default defineConfig(stowageTests({ node: ['test/**/*.node.test.ts'] }))
