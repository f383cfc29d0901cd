import { defineConfig } from 'vitest/config'
import { stowageTests } from '../../tooling/browser-test/src/vitest.ts'

export default defineConfig(stowageTests({ browser: ['test/**/*.browser.test.ts'] }))
