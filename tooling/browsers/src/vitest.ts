import { playwright } from '@vitest/browser-playwright'
import type { TestProjectInlineConfiguration, ViteUserConfig } from 'vitest/config'
import { chromiumArgs, chromiumPath } from './chromium.js'

export interface StowageTestOptions {
  /** Test files that run in Node. */
  node?: string[]
  /** Test files that run in headless Chromium (vitest browser mode). */
  browser?: string[]
}

/**
 * The vitest setup every package shares: a Node project and a headless-Chromium project, and a
 * JSON report in .test-results/ from which `npm test` sums the whole monorepo.
 */
export function stowageTests({ node = [], browser = [] }: StowageTestOptions): ViteUserConfig {
  const projects: TestProjectInlineConfiguration[] = []
  if (node.length) projects.push({ extends: true, test: { name: 'node', include: node, environment: 'node' } })
  if (browser.length) {
    projects.push({
      extends: true,
      test: {
        name: 'chromium',
        include: browser,
        browser: {
          enabled: true,
          headless: true,
          // On a busy 2-core machine Vite's first dependency scan alone can take a minute.
          connectTimeout: 180_000,
          screenshotFailures: false,
          provider: playwright({ launchOptions: { executablePath: chromiumPath, args: chromiumArgs } }),
          instances: [{ browser: 'chromium' }],
        },
      },
    })
  }
  return {
    test: {
      projects,
      testTimeout: 60_000,
      hookTimeout: 60_000,
      reporters: ['default', ['json', { outputFile: '.test-results/vitest.json' }]],
    },
  }
}
