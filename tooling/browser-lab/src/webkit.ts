import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { LabBrowser, LabSite } from './browser.js'
import { launchMarker, linkedBrowser } from './linked.js'
import { killTree } from '@stowage/browser-test/process-tree'
import { within } from './within.js'

/** The small WebKitGTK browser of tooling/engines, which keeps its data in the profile folder. Debian's python3 has the GObject bindings it needs. */
const browserScript = fileURLToPath(new URL('../../engines/src/webkit-browser.py', import.meta.url))

/**
 * WebKitGTK on a profile folder on disk: an Xvfb display of its own and the engines' browser
 * script, started on the lab URL with no automation (the pages link themselves to the test).
 */
export async function launchWebKit(profile: string, site: LabSite): Promise<LabBrowser> {
  const [name, value] = launchMarker()
  const env = { ...process.env, [name]: value }
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x1024x24'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    env,
  })
  const display = await within(firstLine(xvfb), 30_000, 'Xvfb to pick a display').catch(async (error: Error) => {
    await killTree(xvfb.pid, `${name}=${value}`)
    throw error
  })
  const firstTab = randomUUID()
  const child = spawn(
    '/usr/bin/python3',
    [browserScript, `--profile=${profile}`, `--url=${site.origin}/?tab=${firstTab}`],
    {
      stdio: 'ignore',
      env: { ...env, DISPLAY: `:${display}` },
    },
  )
  return linkedBrowser(site, firstTab, { child, marker: `${name}=${value}`, name: 'WebKitGTK (webkit-browser.py)' })
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    const stream = child.stdio[3] as NodeJS.ReadableStream
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk
      if (text.includes('\n')) resolve(text.split('\n')[0]!.trim())
    })
    child.once('exit', (code, signal) => reject(new Error(`Xvfb exited (${signal ?? code}) before picking a display`)))
  })
}
