import { defineConfig, mergeConfig } from 'vitest/config'
import { stowageTests } from '../../tooling/browser-test/src/vitest.ts'

// These tests run in Node and drive browsers of their own: a crash trial takes minutes.
export default defineConfig(
  mergeConfig(stowageTests({ node: ['test/**/*.node.test.ts'] }), { test: { testTimeout: 600_000, hookTimeout: 120_000 } }),
)
