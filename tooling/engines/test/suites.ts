import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adoptNames, adoptNamesWithoutSync, chunkNames, clientNames, kitNames } from './names.ts'
import type { Engine } from '@stowage/browsers/launch'
import { openSession, type EngineSession, type SessionOptions } from '@stowage/browsers/session'

const page = fileURLToPath(new URL('./stowage.page.ts', import.meta.url))
const CASE_MS = 120_000

/** The engine's browser for this test file, on the page of every case, at a fixed port (see `SessionOptions`). */
export function useSession(engine: Engine, port: number, options?: SessionOptions): () => EngineSession {
  let session: EngineSession | undefined
  beforeAll(async () => {
    session = await openSession(engine, page, port, options)
  }, 120_000)
  afterAll(() => session?.dispose(), 60_000)
  return () => {
    if (!session) throw new Error(`${engine} did not start`)
    return session
  }
}

/** One test per name, each running page case `${prefix}${name}`. */
export function casesSuite(label: string, session: () => EngineSession, prefix: string, names: string[]): void {
  describe(label, () => {
    for (const name of names)
      it(
        name,
        () =>
          session()
            .run(`${prefix}${name}`, [], CASE_MS)
            .then(() => undefined),
        CASE_MS + 5_000,
      )
  })
}

/**
 * What every engine runs: the conformance kit for each driver in a dedicated worker (opfs-sync
 * only where `syncHandles`) and for the two that also serve on the main thread, idb's chunked
 * format, and the worker-host client cases.
 */
export function kitAndClientSuites(session: () => EngineSession, { syncHandles }: { syncHandles: boolean }): void {
  if (syncHandles)
    casesSuite('conformance: opfs-sync in a dedicated worker', session, 'opfs-sync worker: kit: ', kitNames)
  for (const [where, place] of [
    ['worker', 'in a dedicated worker'],
    ['page', 'on the main thread'],
  ]) {
    for (const driver of ['opfs-async', 'idb'])
      casesSuite(`conformance: ${driver} ${place}`, session, `${driver} ${where}: `, kitNames)
  }
  casesSuite('idb chunks in a dedicated worker', session, 'idb worker: ', chunkNames)
  casesSuite('worker-host client and server', session, 'worker-host: ', clientNames)
}

/** Adoption of files that other tiers hold (invariant 10); without `syncHandles`, between opfs-async and idb. */
export function adoptionSuite(session: () => EngineSession, { syncHandles }: { syncHandles: boolean }): void {
  casesSuite('adoption across tiers', session, 'adopt: ', syncHandles ? adoptNames : adoptNamesWithoutSync)
}

/** Per driver: nothing there in a fresh profile, a 1 MiB save, a quit and relaunch on the same profile and port, the same bytes back. */
export function persistenceSuite(session: () => EngineSession, drivers: string[]): void {
  describe('persistence across a browser restart (same profile, same origin)', () => {
    for (const driver of drivers) {
      it(`${driver}: a save survives quitting and relaunching the browser`, async () => {
        const file = 'kept.bin'
        expect(await session().run('persist: load', [driver, file])).toBe('NOT_FOUND')
        const saved = await session().run('persist: save', [driver, file, Date.now() & 0xffff, 1 << 20])
        expect(saved).toMatch(/^1048576:[0-9a-f]{64}$/)
        await session().restart()
        try {
          expect(await session().run('persist: load', [driver, file])).toBe(saved)
        } finally {
          await session().run('persist: remove', [driver, file])
        }
      }, 180_000)
    }
  })
}

const MiB = 2 ** 20
const BIG_MS = 900_000

/**
 * What the idb tier must do in a private window, where it is the fallback: the conformance kit in
 * a dedicated worker, and a 140 MiB file (past one value's cap in Chromium off the record) saved
 * and loaded in chunks. `STOWAGE_BIG_MIB=1024` adds a round trip of that many MiB; every big
 * round trip logs its save and load times.
 */
export function privateSuite(session: () => EngineSession): void {
  casesSuite('conformance: idb in a dedicated worker, in a private window', session, 'idb worker: ', kitNames)
  casesSuite('idb chunks in a dedicated worker, in a private window', session, 'idb worker: ', chunkNames)
  const sizes = [140, ...(process.env.STOWAGE_BIG_MIB ? [Number(process.env.STOWAGE_BIG_MIB)] : [])]
  describe('files past the cap on one IndexedDB value', () => {
    for (const mib of sizes) {
      it(
        `idb: ${mib} MiB round trip in chunks, and nothing left after its remove`,
        async () => {
          const times = (await session().run('big: round trip', [mib * MiB], BIG_MS)) as {
            saveMs: number
            loadMs: number
          }
          console.log(`[${session().engine}, private] idb ${mib} MiB: save ${times.saveMs} ms, load ${times.loadMs} ms`)
        },
        BIG_MS + 5_000,
      )
    }
  })
}

/**
 * A tab whose worker holds a file's lease and then hangs (its event loop busy, as a frozen or
 * hung tab's would be): another tab's save ends LOCKED within the bound and changes nothing,
 * and once the worker answers again the lease is handed over and the save lands.
 */
export function hungHolderSuite(session: () => EngineSession): void {
  describe('a tab whose worker hangs with a lease in hand', () => {
    it(
      'another tab saving the file ends LOCKED within the bound, changing nothing, and saves once it answers',
      async () => {
        const directory = `test-hung-${randomUUID()}`
        const holder = await session().openTab()
        const other = await session().openTab()
        try {
          // Held by a tab nobody else asked yet: an idle lease it keeps (one asked for lately goes back at once).
          await holder.run('tabs: hold', [directory])
          await holder.run('tabs: hang', [4000])
          const refused = (await other.run('tabs: save', [directory, 1000])) as { outcome: string; message: string }
          expect(refused.outcome).toBe('LOCKED')
          expect(refused.message).toMatch(/^shared: .*1000 ms.* holds "stowage:opfs:/)
          await holder.run('tabs: holderWasLast', [directory])
          expect(await other.run('tabs: save', [directory, 5000])).toEqual({ outcome: 'saved' })
        } finally {
          await holder.run('tabs: release', [directory]).catch(() => undefined)
          await Promise.all([holder.close(), other.close()])
        }
      },
      CASE_MS,
    )
  })
}
