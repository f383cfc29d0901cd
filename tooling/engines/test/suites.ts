import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../src/launch.ts'
import { openSession, type EngineSession } from '../src/session.ts'

const page = fileURLToPath(new URL('./stowage.page.ts', import.meta.url))
const CASE_MS = 120_000

/** The engine's browser for this test file, on the page of every case, at a fixed port. */
export function useSession(engine: Engine, port: number): () => EngineSession {
  let session: EngineSession | undefined
  beforeAll(async () => {
    session = await openSession(engine, page, port)
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
    for (const name of names) it(name, () => session().run(`${prefix}${name}`, [], CASE_MS).then(() => undefined), CASE_MS + 5_000)
  })
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
