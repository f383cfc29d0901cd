import type { Browser } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addNote, launch, noteInGraph, openDemo, openNote, ready, saved } from './demo.ts'

let browser: Browser

beforeAll(async () => {
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
})

describe('the built demo, in Chromium', () => {
  it('keeps a new note across a reload', async () => {
    const context = await browser.newContext()
    try {
      const { page, errors } = await openDemo(context)
      expect(await noteInGraph(page, 'Stowage').count(), 'a first visit shows the sample graph').toBe(1)
      await addNote(page, 'Groceries', 'Oat milk, lemons, and a loaf of rye.')
      expect(await page.textContent('#stored-size')).toMatch(/\d+ B|KiB/)

      await page.reload()
      await ready(page)
      expect(await openNote(page, 'Groceries')).toBe('Oat milk, lemons, and a loaf of rye.')
      expect(await page.textContent('#load-ms')).toMatch(/ms$/)

      // Links and deletions are part of the saved state too.
      await page.selectOption('#link-target', { label: 'Stowage' })
      await page.click('#link-add')
      await noteInGraph(page, 'Try it').click()
      await page.click('#note-delete')
      await saved(page)
      await page.reload()
      await ready(page)
      expect(await noteInGraph(page, 'Try it').count(), 'a deleted note came back').toBe(0)
      await openNote(page, 'Groceries')
      expect(await page.locator('#note-links .chip').allTextContents()).toEqual(['Stowage×'])
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('shows in one tab what another tab saves', async () => {
    const context = await browser.newContext()
    try {
      const first = await openDemo(context)
      const second = await openDemo(context)
      await addNote(first.page, 'From the first tab', 'typed in tab one')
      await noteInGraph(second.page, 'From the first tab').waitFor({ timeout: 10_000 })
      expect(await openNote(second.page, 'From the first tab')).toBe('typed in tab one')
      expect(await second.page.textContent('#sync-note')).toContain("Followed another tab's save")

      await second.page.fill('#note-text', 'edited in tab two')
      await saved(second.page)
      await openNote(first.page, 'From the first tab')
      await first.page.waitForFunction(
        () => (document.querySelector('#note-text') as HTMLTextAreaElement).value === 'edited in tab two',
        undefined,
        { timeout: 10_000 },
      )
      expect([...first.errors, ...second.errors]).toEqual([])
    } finally {
      await context.close()
    }
  })
})
