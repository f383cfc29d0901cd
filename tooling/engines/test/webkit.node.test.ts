import { describe, expect, it } from 'vitest'
import { clientNames, kitNames } from './names.ts'
import { casesSuite, persistenceSuite, useSession } from './suites.ts'

const session = useSession('webkit', 47823)

casesSuite('conformance: opfs-async in a dedicated worker', session, 'opfs-async worker: ', kitNames)
casesSuite('conformance: idb in a dedicated worker', session, 'idb worker: ', kitNames)
casesSuite('conformance: opfs-async on the main thread', session, 'opfs-async page: ', kitNames)
casesSuite('conformance: idb on the main thread', session, 'idb page: ', kitNames)
casesSuite('worker-host client and server', session, 'worker-host: ', clientNames)

describe('tier selection, unfaked', () => {
  it('serve([opfsSync(), opfsAsync(), idb()]) picks opfs-async, and info() gives tier 1’s real NotSupportedError as the reason', async () => {
    const info = (await session().run('tier selection')) as { driver: string; probes: { id: string; ok: boolean; reason?: string }[] }
    expect(info.driver).toBe('opfs-async')
    expect(info.probes).toEqual([
      { id: 'opfs-sync', ok: false, reason: expect.stringMatching(/^NotSupportedError: \S/) },
      { id: 'opfs-async', ok: true },
    ])
  })
})

persistenceSuite(session, ['opfs-async', 'idb'])
