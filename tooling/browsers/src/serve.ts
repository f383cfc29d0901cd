import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'

export interface StaticServer {
  /** The origin, e.g. http://127.0.0.1:47811. The port is fixed: OPFS and IndexedDB belong to it. */
  origin: string
  close(): Promise<void>
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
}

/**
 * Serves the files of `root` on 127.0.0.1:`port`, and whatever `route` takes on. When another run holds that port
 * (two checkouts testing at once), any free port will do: what matters is that it stays the same
 * for this server's life, and so for every relaunch on its profiles.
 */
export async function serveStatic(
  root: string,
  port: number,
  route?: (request: IncomingMessage, response: ServerResponse) => boolean,
): Promise<StaticServer> {
  const server = createServer(async (request, response) => {
    if (route?.(request, response)) return
    try {
      // Normalizing a path that starts at '/' resolves every '..' at or below it: it cannot leave the root.
      const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname))
      const file = join(root, path === '/' ? 'index.html' : path)
      const body = await readFile(file)
      response.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      })
      response.end(body)
    } catch {
      response.writeHead(404).end()
    }
  })
  const listen = (on: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(on, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
  await listen(port).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error
    return listen(0)
  })
  const { port: bound } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
