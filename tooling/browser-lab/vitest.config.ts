import { defineConfig, mergeConfig } from 'vitest/config'
import { stowageTests } from '../../tooling/browser-test/src/vitest.ts'

// These tests run in Node and drive browsers of their own: a crash trial takes minutes. Two files
// at a time, so that the Chromium and Firefox crash trials overlap (each mostly waits on launches).
export default defineConfig(
  mergeConfig(stowageTests({ node: ['test/**/*.node.test.ts'] }), { test: { testTimeout: 900_000, hookTimeout: 120_000, maxWorkers: 2 } }),
)
