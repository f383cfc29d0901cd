import { defineConfig } from 'vitest/config'
import { stowageTests } from '@stowage/browser-test/vitest'

export default defineConfig(stowageTests({ browser: ['test/**/*.browser.test.ts'] }))
