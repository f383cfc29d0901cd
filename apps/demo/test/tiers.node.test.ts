import type { Browser } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addNote, launch, openDemo, openNote, ready } from './demo.ts'

const TIERS = ['opfs-sync', 'opfs-async', 'idb'] as const
let browser: Browser

beforeAll(async () => {
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
})

describe('the tier switch', () => {
  it.each(TIERS)('?driver=%s serves from that tier only and keeps an edit across a reload', async (tier) => {
    const context = await browser.newContext()
    try {
      const { page, errors } = await openDemo(context, `?driver=${tier}`)
      expect(await page.textContent('#tier')).toBe(tier)
      expect(await page.getAttribute(`#probes [data-tier="${tier}"]`, 'class')).toContain('ok')
      for (const other of TIERS.filter((each) => each !== tier)) {
        expect(await page.textContent(`#probes [data-tier="${other}"] .reason`)).toContain(`?driver=${tier}`)
      }
      expect(await page.getAttribute('.tier-switch [aria-current="page"]', 'data-tier')).toBe(tier)

      await addNote(page, `Kept by ${tier}`, `saved through ${tier}`)
      await page.reload()
      await ready(page)
      expect(await page.textContent('#tier')).toBe(tier)
      expect(await openNote(page, `Kept by ${tier}`)).toBe(`saved through ${tier}`)
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('without ?driver serves from the fastest tier whose probe passes', async () => {
    const context = await browser.newContext()
    try {
      const { page, errors } = await openDemo(context)
      const served = await page.textContent('#tier')
      expect(TIERS).toContain(served)
      const marks = await page
        .locator('#probes .probe')
        .evaluateAll((items) => items.map((item) => [item.getAttribute('data-tier'), item.className]))
      const index = TIERS.indexOf(served as (typeof TIERS)[number])
      // Every faster tier failed its probe, the served one passed, the slower ones were not needed.
      expect(marks).toEqual(
        TIERS.map((tier, i) => [tier, `probe ${i < index ? 'failed' : i === index ? 'ok' : 'skipped'}`]),
      )
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  })
})
