import fc from 'fast-check'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, it } from 'vitest'
import type { Engine } from '@stowage/browsers/launch'
import { openSession, type EngineSession } from '@stowage/browsers/session'
import { checkSequence, replay, sequences } from './model/sequences.ts'

/**
 * The long model-based run, opt-in: STOWAGE_MODEL_LONG sequences per target, every target at once,
 * each in a browser of its own. STOWAGE_MODEL_ENGINE picks the engine (default chromium). Browser
 * restarts cost a second or two each, so only STOWAGE_MODEL_RESTARTS=1 draws them here; the runs
 * inside `npm test` always do.
 *   STOWAGE_MODEL_LONG=10000 npx vitest run test/model-long.node.test.ts
 */
const count = Number(process.env.STOWAGE_MODEL_LONG) || 0
const engine = (process.env.STOWAGE_MODEL_ENGINE ?? 'chromium') as Engine
const restarts = process.env.STOWAGE_MODEL_RESTARTS === '1'
const targets = engine === 'webkit' ? ['opfs-async', 'idb', 'client'] : ['opfs-sync', 'opfs-async', 'idb', 'client']
const page = fileURLToPath(new URL('./stowage.page.ts', import.meta.url))

describe.skipIf(!count)(`model-based sequences, long run on ${engine}`, () => {
  const sessions = new Map<string, EngineSession>()
  beforeAll(async () => {
    for (const [i, target] of targets.entries()) sessions.set(target, await openSession(engine, page, 47840 + i))
  }, 300_000)
  afterAll(() => Promise.all([...sessions.values()].map((session) => session.dispose())), 120_000)

  for (const target of targets) {
    it.concurrent(
      `${target}: ${count} sequences`,
      async () => {
        let done = 0
        const started = Date.now()
        await fc.assert(
          fc.asyncProperty(sequences(restarts), async (steps) => {
            await checkSequence(sessions.get(target)!, target, steps)
            if (++done % 250 === 0)
              console.log(`[${engine}] ${target}: ${done} sequences, ${((Date.now() - started) / 1000).toFixed(0)} s`)
          }),
          replay({ numRuns: count }),
        )
        console.log(
          `[${engine}] ${target}: ${count} sequences passed in ${((Date.now() - started) / 1000).toFixed(0)} s`,
        )
      },
      24 * 3_600_000,
    )
  }
})
