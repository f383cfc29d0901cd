import { defineConfig } from 'vitest/config'
import { stowageTests } from '@stowage/browsers/vitest'

export default defineConfig(stowageTests({ browser: ['test/**/*.browser.test.ts'] }))
