import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { chromium } from 'playwright'
import type { EngineBrowser, LaunchOptions } from './launch.js'
import { caseCall, type CaseOutcome } from './outcome.js'
import { chromiumArgs, chromiumPath } from '@stowage/browser-test/chromium'
import { killTree } from '@stowage/browser-test/process-tree'

/**
 * Chromium through Playwright, in a persistent (disk-backed) context on `profile`; or, `private`,
 * in a plain new context, which is off the record (incognito: storage in memory, `profile` unused).
 */
export async function launchChromium(
  profile: string,
  { private: offTheRecord = false }: LaunchOptions = {},
): Promise<EngineBrowser> {
  const marker = `STOWAGE_ENGINES_BROWSER=${randomUUID()}`
  const [name, value] = marker.split('=') as [string, string]
  const options = {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    env: { ...process.env, [name]: value },
  }
  const context = offTheRecord
    ? await (await chromium.launch(options)).newContext()
    : await chromium.launchPersistentContext(profile, options)
  // Playwright hides the browser's pid: it is our child that was started on this profile. An
  // off-the-record browser runs on a profile of Playwright's; the marker finds its processes.
  const pid = offTheRecord ? undefined : ownChildWith(`--user-data-dir=${profile}`)
  let blank = context.pages()[0]
  const kill = async () => {
    await killTree(pid, marker)
    await context.close().catch(() => {})
  }
  return {
    engine: 'chromium',
    async open(url) {
      const page = blank ?? (await context.newPage())
      blank = undefined
      await page.goto(url)
      return {
        run: (name, args) => page.evaluate(caseCall(name, args)) as Promise<CaseOutcome>,
        close: () => page.close(),
      }
    },
    async close() {
      try {
        await (context.browser() ?? context).close()
      } finally {
        await kill()
      }
    },
    kill,
  }
}

function ownChildWith(argument: string): number | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === process.pid && readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes(argument))
        return Number(name)
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined
}
