import { randomUUID } from 'node:crypto'
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { Builder, Capabilities, type WebDriver } from 'selenium-webdriver'
import type { EngineBrowser, EnginePage } from './launch.js'
import { RUN_IN_PAGE, type CaseOutcome } from './outcome.js'
import { killTree } from '@stowage/browser-test/process-tree'

const STARTUP_MS = 30_000
const browserScript = fileURLToPath(new URL('./webkit-browser.py', import.meta.url))

/**
 * WebKitGTK: an Xvfb display, WebKitWebDriver on loopback, and our own automation browser
 * (webkit-browser.py) whose data lives in `profile`, driven with selenium-webdriver.
 */
export async function launchWebKit(profile: string): Promise<EngineBrowser> {
  const children: ChildProcess[] = []
  const marker = `STOWAGE_ENGINES_BROWSER=${randomUUID()}`
  const [name, value] = marker.split('=') as [string, string]
  let driver: WebDriver | undefined
  const kill = async () => {
    // The automation browser is WebKitWebDriver's child: killing each tree reaches it too.
    for (const child of children.reverse()) await killTree(running(child) ? child.pid : undefined, marker)
    children.length = 0
  }
  try {
    const xvfb = track(
      children,
      spawn('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x1024x24'], {
        stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
        env: { ...process.env, [name]: value },
      }),
    )
    const display = `:${(await firstLine(xvfb, 3, 'Xvfb')).trim()}`
    const port = await freePort()
    const env = { ...process.env, DISPLAY: display, [name]: value }
    const webdriver = track(
      children,
      spawn('WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'], env }),
    )
    const server = `http://127.0.0.1:${port}`
    await listening(server, webdriver)
    const capabilities = new Capabilities()
      .setBrowserName('stowage-webkit')
      .set('webkitgtk:browserOptions', { binary: '/usr/bin/python3', args: [browserScript, `--profile=${profile}`] })
    driver = await new Builder().usingServer(server).withCapabilities(capabilities).build()
    await driver.manage().setTimeouts({ script: 600_000, pageLoad: 60_000 })
  } catch (error) {
    await kill()
    throw error
  }
  const session = driver
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
      inTurn(async (): Promise<EnginePage> => {
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
    async close() {
      try {
        await session.quit()
      } finally {
        await kill()
      }
    },
    kill,
  }
}

function track(children: ChildProcess[], child: ChildProcess): ChildProcess {
  children.push(child)
  // Keep draining the output pipes, or a full one would stall the process.
  child.stdout?.resume()
  child.stderr?.resume()
  return child
}

function running(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null
}

/** The first line `child` writes on file descriptor `fd`, e.g. the display Xvfb picked with -displayfd. */
function firstLine(child: ChildProcess, fd: number, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    const timer = setTimeout(() => reject(new Error(`${what} said nothing within ${STARTUP_MS} ms`)), STARTUP_MS)
    const stream = child.stdio[fd] as NodeJS.ReadableStream
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      text += chunk
      if (text.includes('\n')) {
        clearTimeout(timer)
        resolve(text.split('\n')[0]!)
      }
    })
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(new Error(`${what} could not start: ${error.message}`))
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`${what} exited (${signal ?? code}) before it was ready`))
    })
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

async function listening(server: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_MS
  while (Date.now() < deadline) {
    if (!running(child))
      throw new Error(`WebKitWebDriver exited (${child.signalCode ?? child.exitCode}) before it listened`)
    const ready = await fetch(`${server}/status`).then(
      (response) => response.ok,
      () => false,
    )
    if (ready) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`WebKitWebDriver did not listen on ${server} within ${STARTUP_MS} ms`)
}
