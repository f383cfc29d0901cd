import { afterAll, describe, it } from 'vitest'
import { check } from '@stowage/core/conformance'
import { adoptionCases, GROUP, idbDataCases, noTierCase, protocolCases, stockCases } from './protocol.cases.ts'
import { deleteDatabase, GENOSDB_DATABASE, rootNames } from './support.ts'

// Every test of this package that touches GenosDB's own database is in this file, which deletes it last.
afterAll(() => deleteDatabase(GENOSDB_DATABASE))

for (const tier of ['opfs', 'idb'] as const) {
  describe(`GenosDB's protocol on the ${tier} tier, against a GenosDB-like main thread`, () => {
    for (const [name, body] of Object.entries(protocolCases(tier))) it(name, body, 60_000)
  })
}

describe('data that stock GenosDB wrote, and stock GenosDB tabs at work on the same file', () => {
  for (const [name, body] of Object.entries({ ...stockCases, ...idbDataCases })) it(name, body, 60_000)
})

describe('data never strands between the OPFS root and the IndexedDB fallback', () => {
  for (const [name, body] of Object.entries(adoptionCases)) it(name, body, 60_000)
})

describe('when no tier works', () => {
  it('every request replies an error with code UNSUPPORTED and each tier’s reason', noTierCase, 60_000)
})

describe('cleanup', () => {
  it('the OPFS root keeps no file of these tests, and no swap file, afterwards', async () => {
    const left = (await rootNames()).filter(
      (name) => name.startsWith(`stowage-test-${GROUP}-`) || name.endsWith('.crswap'),
    )
    check(left.length === 0, `left at the OPFS root: ${left.join(', ')}`)
  })
})
