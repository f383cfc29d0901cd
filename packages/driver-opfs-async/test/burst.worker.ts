import { serveCases } from '@stowage/browsers/worker'
import { opfsAsync } from '../src/index.ts'
import { identify, payload, rawLoad, rawSave } from './helpers.ts'

/** The page names each burst worker `{"writer":n,"directory":"..."}`. */
const { writer, directory } = JSON.parse(self.name) as { writer: number; directory: string }
const COUNT = 200

export interface BurstReport {
  failures: number
  errorNames: string[]
  /** Loads only: how many returned no complete payload. */
  torn?: number
}

async function burst(calls: (() => Promise<unknown>)[]): Promise<BurstReport> {
  const results = await Promise.allSettled(calls.map((call) => call()))
  const errors = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []))
  const loaded = results.flatMap((result) =>
    result.status === 'fulfilled' && result.value instanceof Uint8Array ? [result.value] : [],
  )
  return {
    failures: errors.length,
    errorNames: [...new Set(errors.map((error) => `${error.name}: ${error.message}`))],
    torn: loaded.filter((bytes) => !identify(bytes)).length,
  }
}

const indexes = Array.from({ length: COUNT }, (_, index) => index)

serveCases({
  ready: () => true,
  'save burst through the driver': async () => {
    const driver = opfsAsync({ directory })
    try {
      return await burst(indexes.map((index) => () => driver.save('shared', payload(writer, index))))
    } finally {
      await driver.close()
    }
  },
  'save burst with raw createWritable and no lock': () =>
    burst(indexes.map((index) => () => rawSave(directory, 'shared', payload(writer, index)))),
  'load burst through the driver': async () => {
    const driver = opfsAsync({ directory })
    try {
      return await burst(indexes.map(() => () => driver.load('shared')))
    } finally {
      await driver.close()
    }
  },
  'save loop with raw createWritable': async () => {
    for (const index of indexes) await rawSave(directory, 'shared', payload(writer, index))
    return { failures: 0, errorNames: [] }
  },
  // Bursts of 20 loads, one after another, for as long as none fails (100 at most): one burst of
  // 200 can fall between two saves of a slow machine and prove nothing.
  'load bursts with raw getFile and no lock': async () => {
    const seen: BurstReport = { failures: 0, errorNames: [] }
    for (let round = 0; round < 100 && !seen.failures; round++) {
      const { failures, errorNames } = await burst(indexes.slice(0, 20).map(() => () => rawLoad(directory, 'shared')))
      seen.failures += failures
      seen.errorNames.push(...errorNames)
    }
    return seen
  },
})
