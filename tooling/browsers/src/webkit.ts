/// <reference path="./selenium.d.ts" />
import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { Builder, Capabilities } from 'selenium-webdriver'
import { type Browser, type LaunchOptions, marker, owned, plain, type Tab } from './browser.js'
import { killTree } from './process-tree.js'
import { type CaseOutcome, RUN_IN_PAGE } from './protocol.js'
import { within } from './within.js'

const STARTUP_MS = 30_000
/** Our WebKitGTK browser: its data lives in the profile folder, and the storage features are on. */
const browserScript = fileURLToPath(new URL('./webkit-browser.py', import.meta.url))

/**
 * WebKitGTK on an Xvfb display of its own and our browser (webkit-browser.py; Debian's python3
 * has the GObject bindings it needs). With automation, WebKitWebDriver on loopback starts it and
 * selenium-webdriver drives it; without, it is spawned by us on `url`.
 */
export async function launchWebKit(
  profile: string,
  { automation = true, url, private: privately }: LaunchOptions = {},
): Promise<Browser> {
  if (privately) throw new Error('No private mode for WebKitGTK here')
  const mark = marker()
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x1024x24'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    env: mark.env,
  })
  const display = await within(firstLine(xvfb), STARTUP_MS, 'Xvfb to pick a display').catch(async (error) => {
    await killTree(xvfb.pid, mark.text)
    throw error
  })
  // Xvfb carries the marker too: a kill of the browser's tree takes it along.
  const env = { ...mark.env, DISPLAY: `:${display}` }
  const script = [browserScript, `--profile=${profile}`]
  if (!automation) {
    const child = spawn('/usr/bin/python3', [...script, `--url=${url}`], { stdio: 'ignore', env })
    return plain('webkit', owned(child, mark.text, 'WebKitGTK (webkit-browser.py)'))
  }
  const port = await freePort()
  const webdriver = spawn('WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], { stdio: 'ignore', env })
  // The automation browser is WebKitWebDriver's child: killing its tree reaches it too.
  const proc = owned(webdriver, mark.text, 'WebKitWebDriver')
  const server = `http://127.0.0.1:${port}`
  const capabilities = new Capabilities()
    .setBrowserName('stowage-webkit')
    .set('webkitgtk:browserOptions', { binary: '/usr/bin/python3', args: script })
  const session = await listening(server, proc.running)
    .then(() => new Builder().usingServer(server).withCapabilities(capabilities).build())
    .then(async (driver) => {
      await driver.manage().setTimeouts({ script: 600_000, pageLoad: 60_000 })
      return driver
    })
    .catch(async (error) => {
      await proc.kill()
      throw error
    })
  // One WebDriver session has one current window: calls into different pages take turns.
  let turn: Promise<unknown> = Promise.resolve()
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const result = turn.then(work)
    turn = result.catch(() => {})
    return result
  }
  let first = true
  return {
    engine: 'webkit',
    open: (url) =>
      inTurn(async (): Promise<Tab> => {
        if (!first) await session.switchTo().newWindow('tab')
        first = false
        const handle = await session.getWindowHandle()
        await session.get(url)
        const focus = () => session.switchTo().window(handle)
        return {
          run: (name, args) =>
            inTurn(async () => {
              await focus()
              return session.executeAsyncScript<CaseOutcome>(
                `const done = arguments[arguments.length - 1]; (${RUN_IN_PAGE})(arguments[0], arguments[1]).then(done)`,
                name,
                args,
              )
            }),
          close: () =>
            inTurn(async () => {
              await focus()
              await session.close()
            }),
        }
      }),
    close: () => session.quit().finally(proc.kill),
    kill: proc.kill,
    exited: proc.exited,
  }
}

/** The first line Xvfb writes on file descriptor 3: the display it picked (-displayfd). */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    const stream = child.stdio[3] as NodeJS.ReadableStream
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      text += chunk
      if (text.includes('\n')) resolve(text.split('\n')[0]!.trim())
    })
    child.once('error', (error) => reject(new Error(`Xvfb could not start: ${error.message}`)))
    child.once('exit', (code, signal) => reject(new Error(`Xvfb exited (${signal ?? code}) before picking a display`)))
  })
}

/** A loopback port that nobody listens on now (WebKitWebDriver takes it right after). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function listening(server: string, running: () => boolean): Promise<void> {
  const deadline = Date.now() + STARTUP_MS
  while (Date.now() < deadline) {
    if (!running()) throw new Error('WebKitWebDriver exited before it listened')
    if (
      await fetch(`${server}/status`).then(
        ({ ok }) => ok,
        () => false,
      )
    )
      return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`WebKitWebDriver did not listen on ${server} within ${STARTUP_MS} ms`)
}
