import { describe, it } from 'vitest'
import { clientCases } from './client.cases.ts'

describe('worker-host client and server, in Chromium', () => {
  for (const [name, body] of Object.entries(clientCases)) it(name, body, 60_000)
})
