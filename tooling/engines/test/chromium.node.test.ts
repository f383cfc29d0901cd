import { describe, expect, it } from 'vitest'
import { modelSuite } from './model/sequences.ts'
import { adoptionSuite, hungHolderSuite, kitAndClientSuites, persistenceSuite, useSession } from './suites.ts'

const session = useSession('chromium', 47821)

kitAndClientSuites(session, { syncHandles: true })

adoptionSuite(session, { syncHandles: true })

describe('tier selection, unfaked', () => {
  it('serve([opfsSync(), opfsAsync(), idb()]) picks opfs-sync, the first tier, whose probe passes', async () => {
    const info = (await session().run('tier selection')) as { driver: string; probes: unknown[] }
    expect(info).toEqual({ driver: 'opfs-sync', probes: [{ id: 'opfs-sync', ok: true }] })
  })
})

hungHolderSuite(session)

persistenceSuite(session, ['opfs-sync', 'opfs-async', 'idb'])

modelSuite(session, ['opfs-sync', 'opfs-async', 'idb', 'client'])

// `STOWAGE_TIMINGS=1 npx vitest run test/chromium.node.test.ts -t timings`: figures, no assertion.
describe.runIf(process.env.STOWAGE_TIMINGS)('adoption timings', () => {
  it('prints how long a start takes with and without files to adopt, per direction', async () => {
    console.table(await session().run('adopt: timings', [], 1_200_000))
  }, 1_260_000)
})
