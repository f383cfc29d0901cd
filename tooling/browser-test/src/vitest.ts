import { playwright } from '@vitest/browser-playwright'
import type { TestProjectInlineConfiguration, ViteUserConfig } from 'vitest/config'

/** Where the tests find Chromium: $CHROMIUM_PATH, else Debian's. Playwright never downloads one. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Without these, Chromium keeps dialling hosts that a closed network refuses. */
export const chromiumArgs = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
  '--disable-quic',
  '--no-sandbox',
]

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
