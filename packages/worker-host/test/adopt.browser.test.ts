import { describe, it } from 'vitest'
import { adoptCases } from './adopt.cases.ts'

describe('adoption of files that other tiers hold, in Chromium', () => {
  for (const [name, body] of Object.entries(adoptCases)) it(name, body, 60_000)
})
