import type { Lab } from './lab.js'
import type { Verdict } from './payload.js'
import type { ContendResult, Target } from './protocol.js'

export interface PagesResult {
  /** What each page's worker saw: its errors and its last save. */
  pages: ContendResult[]
  /** What the file held once both were done. */
  found: Verdict
  /** How long the pages' save loops ran at the same time: at or below 0, one ran after the other. */
  overlapMs: number
}

/**
 * Contention across pages: pages of one browser context, each with its own worker, save the same
 * file `saves` times at once (bursts left in flight, and some saves awaited).
 */
export async function pagesTrial(
  lab: Lab,
  driver: string,
  { pages = 2, saves = 200, maxLength = 256 * 1024 } = {},
): Promise<PagesResult> {
  const target: Target = { driver, place: `pages-${driver}`, file: 'shared.bin' }
  const browser = await lab.launch(await lab.profile())
  try {
    const opened = await Promise.all(Array.from({ length: pages }, () => browser.openLab()))
    // Seqs of page i start at i * 1e6 + 1: whatever the file holds names the page and save that wrote it.
    const seqs = (page: number) => Array.from({ length: saves }, (_, i) => page * 1_000_000 + i + 1)
    const results = await Promise.all(
      opened.map((page, i) => page.call({ op: 'contend', ...target, seqs: seqs(i), maxLength })),
    )
    const found = await opened[0]!.call({ op: 'load', ...target })
    const overlapMs =
      Math.min(...results.map(({ span }) => span.to)) - Math.max(...results.map(({ span }) => span.from))
    return { pages: results, found, overlapMs }
  } finally {
    await browser.kill()
  }
}
