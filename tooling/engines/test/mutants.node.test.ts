import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Patch } from '@stowage/browsers/session'
import { checkSequence, replay, sequences } from './model/sequences.ts'
import { useSession } from './suites.ts'

const opfsSync = 'driver-opfs-sync/dist/index.js'

/** The built chunk of @stowage/core that holds `code` (tsup names chunks by their content's hash). */
function coreChunk(code: string): string {
  const dist = fileURLToPath(new URL('../../../packages/core/dist/', import.meta.url))
  const name = readdirSync(dist).find(
    (file) => file.endsWith('.js') && readFileSync(dist + file, 'utf8').includes(code),
  )
  if (!name) throw new Error(`no chunk of packages/core/dist holds ${JSON.stringify(code)}`)
  return `core/dist/${name}`
}
const abortAnyTime = 'const cancel = () => started || reject(signal.reason);'

/**
 * Bugs planted in the built packages that the model-based sequences must find, each with no help:
 * random seeds, the same generator CI runs. Each passes a test that reads back through the lease
 * or the call that wrote, and breaks the app's picture of its files later in its life.
 */
const mutants: { bug: string; port: number; patch: Patch }[] = [
  {
    bug: 'the empty-file defect of 0.1: a header must point inside the file even at an empty region',
    port: 47826,
    patch: { file: opfsSync, from: 'length === 0 || offset + length <= fileSize', to: 'offset + length <= fileSize' },
  },
  {
    bug: 'a slot chooser that gives the new header the generation of the newest one',
    port: 47827,
    patch: { file: opfsSync, from: 'generation + 1', to: 'generation' },
  },
  {
    bug: 'an abort that rejects ABORTED after the I/O began, as fetch does, though the save lands',
    port: 47828,
    patch: { file: coreChunk(abortAnyTime), from: abortAnyTime, to: 'const cancel = () => reject(signal.reason);' },
  },
]

for (const { bug, port, patch } of mutants) {
  describe(`model-based sequences catch a planted bug: ${bug}`, () => {
    const session = useSession('chromium', port, { patches: [patch] })
    it('fails, with a seed and a shrunk sequence that show it', async () => {
      const failure = await fc
        .assert(
          fc.asyncProperty(sequences(false), (steps) => checkSequence(session(), 'opfs-sync', steps)),
          replay({ numRuns: 1000 }),
        )
        .then(
          () => undefined,
          (error: Error) => error,
        )
      expect(failure, 'no sequence of 1000 found the bug').toBeInstanceOf(Error)
      console.log(`${bug}\n${failure!.message}`)
      expect(String((failure!.cause as Error | undefined)?.message)).toMatch(/^step \d+ .*: expected .*, got /)
    }, 900_000)
  })
}
