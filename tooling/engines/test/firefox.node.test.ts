import { describe, expect, it } from 'vitest'
import { clientNames, kitNames } from './names.ts'
import { casesSuite, persistenceSuite, useSession } from './suites.ts'

const session = useSession('firefox', 47822)

casesSuite('conformance: opfs-sync in a dedicated worker', session, 'opfs-sync worker: kit: ', kitNames)
casesSuite('conformance: opfs-async in a dedicated worker', session, 'opfs-async worker: ', kitNames)
casesSuite('conformance: idb in a dedicated worker', session, 'idb worker: ', kitNames)
casesSuite('conformance: opfs-async on the main thread', session, 'opfs-async page: ', kitNames)
casesSuite('conformance: idb on the main thread', session, 'idb page: ', kitNames)
casesSuite('worker-host client and server', session, 'worker-host: ', clientNames)

describe('tier selection, unfaked', () => {
  it('serve([opfsSync(), opfsAsync(), idb()]) picks opfs-sync, the first tier, whose probe passes', async () => {
    const info = (await session().run('tier selection')) as { driver: string; probes: unknown[] }
    expect(info).toEqual({ driver: 'opfs-sync', probes: [{ id: 'opfs-sync', ok: true }] })
  })
})

persistenceSuite(session, ['opfs-sync', 'opfs-async', 'idb'])
