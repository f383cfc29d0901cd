import { within } from '@stowage/browsers/within'
import { backingStoreFailed, holdsNamespace } from './inspect.js'
import type { Lab, LabPage } from './lab.js'
import { HEADER } from './payload.js'
import { type Copy, type Loaded, type Tiers, tierPlace } from './protocol.js'

export interface AdoptionTrialOptions {
  serving: string
  other: string
  kills: number
  /** Stop at the first kill that lost a file: for a sweep that is meant to fail. */
  untilCaught?: boolean
  /** Files per kill: a third only in the other tier, a third newer there, a third newer where served. */
  files?: number
  maxLength?: number
}

export interface AdoptionLoss {
  kill: number
  file: string
  /** The save the file must hold: the newest copy there was. */
  expected: number
  found: string
  /** What the browser held in both tiers' namespaces after the kill (see inspect.ts). */
  scene: string[]
  /** A tier's whole directory or database was gone after the kill: the browser dropped it. */
  namespaceGone: boolean
}

export interface AdoptionTrialReport {
  serving: string
  other: string
  kills: number
  /** Kills after which every file held its newest copy, in the serving tier only. */
  survived: number
  lost: AdoptionLoss[]
  /** How long one whole sweep took, unkilled: the window the kills were spread over. */
  sweepMs: number
  ms: number
}

/**
 * The adoption crash trial: files saved in two tiers, some newer in one and some in the other, a
 * sweep that moves them into the serving tier, the browser SIGKILLed at a random moment of it,
 * relaunched on the same profile, the sweep run again, and every file loaded through the serving
 * tier. Each must hold its newest copy, whole, and the other tier nothing: a kill may only delay
 * the move, never lose a file or let an older copy win. Every sweep removes the old copies at
 * once (`settleMs: 0`): a kill leaves the page cache to the disk, so the settling that guards
 * against a power cut cannot matter here, and the trial cuts the copies and the removals alike.
 */
const AT_ONCE = { settleMs: 0 }

export async function adoptionTrial(lab: Lab, options: AdoptionTrialOptions): Promise<AdoptionTrialReport> {
  const { serving, other, kills, untilCaught = false, files = 6, maxLength = 1024 * 1024 } = options
  const report: AdoptionTrialReport = { serving, other, kills: 0, survived: 0, lost: [], sweepMs: 0, ms: 0 }
  const began = Date.now()
  const profile = await lab.profile()
  let browser = await lab.launch(profile)
  try {
    let page = await browser.openLab()
    const calibration = await seed(page, { serving, other, place: 'adopt-calibration' }, 0, files, maxLength)
    const started = performance.now()
    await page.call({ op: 'adopt', ...calibration.tiers, ...AT_ONCE })
    report.sweepMs = performance.now() - started
    for (let kill = 1; kill <= kills && !(untilCaught && report.lost.length); kill++) {
      const { tiers, expected } = await seed(page, { serving, other, place: `adopt-${kill}` }, kill, files, maxLength)
      page.call({ op: 'adopt', ...tiers, ...AT_ONCE }).catch(() => {})
      await new Promise((resolve) => setTimeout(resolve, Math.random() * report.sweepMs * 1.2))
      await browser.kill()
      report.kills++
      browser = await lab.launch(profile)
      page = await browser.openLab()
      await within(page.call({ op: 'adopt', ...tiers, ...AT_ONCE }), 60_000, 'the sweep after the kill')
      const { found, inOther } = await page.call({ op: 'survey', ...tiers, files: [...expected.keys()] })
      const lost: AdoptionLoss[] = []
      for (const [file, seq] of expected) {
        const got = found[file]!
        const kept = inOther[file]
        const left = !kept
          ? ''
          : 'failed' in kept
            ? `, and ${other} ${describeLoaded(kept)}`
            : `, and ${other} still holds a copy`
        if ('failed' in got || got.verdict.seq !== seq || got.verdict.problem || left)
          lost.push({
            kill,
            file,
            expected: seq,
            found: `${describeLoaded(got)}${left}`,
            scene: [],
            namespaceGone: false,
          })
      }
      if (lost.length) {
        const scene = [
          ...(await page.call({ op: 'inspect', place: tierPlace(tiers.place, serving) })),
          ...(await page.call({ op: 'inspect', place: tierPlace(tiers.place, other) })),
        ]
        // Drivers remove files, never their directory or database: one gone is the browser's doing.
        const namespaceGone = [serving, other].some((tier) => !holdsNamespace(scene, tierPlace(tiers.place, tier)))
        report.lost.push(...lost.map((loss) => ({ ...loss, scene, namespaceGone })))
      } else report.survived++
    }
  } finally {
    await browser.kill()
  }
  report.ms = Date.now() - began
  return report
}

/** A load's outcome in words: the save it held, what was wrong with it, or why it failed. */
export function describeLoaded(loaded: Loaded): string {
  if ('failed' in loaded) return `failed: ${loaded.failed}`
  const { seq, problem, detail } = loaded.verdict
  return `${problem ?? `save ${seq}`}${detail ? ` (${detail})` : ''}`
}

/**
 * Saves the files of one round in both tiers: every third file only in the other tier, every
 * third first where served and later, newer, in the other, and every third the other way round.
 * Answers the save each file must end up holding, and the copies each tier got. The pause between
 * the two rounds of saves keeps their times apart on the wall clock, which is how adoption tells
 * the newer copy.
 */
export async function seed(page: LabPage, tiers: Tiers, round: number, files: number, maxLength: number) {
  const expected = new Map<string, number>()
  const first: Record<'serving' | 'other', Copy[]> = { serving: [], other: [] }
  const second: Record<'serving' | 'other', Copy[]> = { serving: [], other: [] }
  const copy = (file: string, seq: number): Copy => ({
    file,
    seq,
    length: HEADER + Math.floor(Math.random() * (maxLength - HEADER)),
  })
  for (let i = 0; i < files; i++) {
    const file = `f${i}`
    const older = round * 1000 + 2 * i + 1
    const newer = older + 1
    if (i % 3 === 0) {
      first.other.push(copy(file, older))
      expected.set(file, older)
    } else {
      const [before, after] = i % 3 === 1 ? (['serving', 'other'] as const) : (['other', 'serving'] as const)
      first[before].push(copy(file, older))
      second[after].push(copy(file, newer))
      expected.set(file, newer)
    }
  }
  for (const [index, copies] of [first, second].entries()) {
    if (index) await new Promise((resolve) => setTimeout(resolve, 20))
    await page.call({ op: 'seed', driver: tiers.serving, place: tiers.place, copies: copies.serving })
    await page.call({ op: 'seed', driver: tiers.other, place: tiers.place, copies: copies.other })
  }
  const held = (tier: 'serving' | 'other') =>
    new Map([...first[tier], ...second[tier]].map(({ file, seq }) => [file, seq]))
  return { tiers, expected, copies: { serving: held('serving'), other: held('other') } }
}

/**
 * Whether a loss comes with the browser's own evidence: an IndexedDB backing store it could not
 * open, or a tier's whole directory or database gone. Chromium, under a heavy load, came back from
 * a kill without an IndexedDB tier's database (once, 2026-12-06 morning), and without an opfs-async
 * tier's directory seeded just before the sweep, its opfs-sync directory emptied (once, 11:00).
 */
export const lostByBrowser = ({ scene, namespaceGone }: AdoptionLoss) => namespaceGone || backingStoreFailed(scene)
