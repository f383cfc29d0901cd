import { describe } from 'vitest'
import { useBrowser } from './browser.ts'
import { crashSuite, tiers } from './suites.ts'

const browser = useBrowser('chromium', 47853, 1)

// A kill and relaunch takes 15–20 s here (mostly the relaunch and Automerge's wasm start), so
// `npm test` kills 3 times on tier 1; STOWAGE_AUTOMERGE_KILLS=<n> kills n times on every tier.
const asked = Number(process.env.STOWAGE_AUTOMERGE_KILLS) || 0

describe('Chromium SIGKILLed while a Repo saves', () => {
  for (const tier of asked ? tiers : ['opfs-sync']) crashSuite(browser, tier, asked || 3)
})
