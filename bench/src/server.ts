import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Asset {
  body: Uint8Array | string
  type: string
}

/**
 * Serves `assets` by path on 127.0.0.1, cross-origin isolated: the page's performance.now() then
 * ticks in microseconds rather than the coarse steps Chromium gives to other pages.
 */
export async function serveAssets(assets: Map<string, Asset>): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const asset = assets.get(new URL(request.url ?? '/', 'http://127.0.0.1').pathname)
    response.writeHead(asset ? 200 : 404, {
      'content-type': asset?.type ?? 'text/plain',
      'cache-control': 'no-store',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    })
    response.end(asset?.body ?? 'not found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
