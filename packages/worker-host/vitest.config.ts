import { defineConfig } from 'vitest/config'
import { stowageTests } from '@stowage/browsers/vitest'

export default defineConfig(stowageTests({ node: ['test/**/*.node.test.ts'], browser: ['test/**/*.browser.test.ts'] }))
