import { defineConfig } from 'vitest/config'
import { stowageTests } from '@stowage/browser-test/vitest'

export default defineConfig(stowageTests({ node: ['test/**/*.node.test.ts'], browser: ['test/**/*.browser.test.ts'] }))
