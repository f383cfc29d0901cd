import type { Lab } from './lab.js'
import type { Verdict } from './payload.js'

export interface Durable {
  file: string
  seq: number
  length: number
  /** What a new browser on the same profile loaded. */
  found: Verdict
}

/**
 * Saves known payloads in a disk-backed profile, quits the browser normally, launches a new one
 * on the same profile and origin, and loads them back.
 */
export async function durabilityTrial(lab: Lab, driver: string, lengths: number[]): Promise<Durable[]> {
  const place = `durable-${driver}`
  const files = lengths.map((length, i) => ({ file: `durable-${length}.bin`, seq: i + 1, length }))
  const profile = await lab.profile()
  let browser = await lab.launch(profile)
  try {
    const writer = await browser.openLab()
    for (const { file, seq, length } of files) await writer.call({ op: 'save', driver, place, file, seq, length })
    await browser.close()
    browser = await lab.launch(profile)
    const reader = await browser.openLab()
    const found: Durable[] = []
    for (const saved of files)
      found.push({ ...saved, found: await reader.call({ op: 'load', driver, place, file: saved.file }) })
    await browser.close()
    return found
  } finally {
    await browser.kill()
  }
}
