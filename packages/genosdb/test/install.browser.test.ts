import { describe, it } from 'vitest'
import { installCases } from './install.cases.ts'

describe('installGenosDB and the worker script, in Chromium', () => {
  for (const [name, body] of Object.entries(installCases)) it(name, body, 60_000)
})
