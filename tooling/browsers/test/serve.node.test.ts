import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveStatic } from '../src/serve.ts'

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'stowage-lab-serve-'))
  await writeFile(join(root, 'index.html'), '<p>lab</p>')
  await writeFile(join(root, 'page.js'), 'export {}')
})
afterAll(() => rm(root, { recursive: true, force: true }))

describe('the static server', () => {
  it('serves the folder on the port asked for, with types, and nothing outside it', async () => {
    const server = await serveStatic(root, 47819)
    try {
      expect(server.origin).toBe('http://127.0.0.1:47819')
      const index = await fetch(`${server.origin}/`)
      expect([index.status, index.headers.get('content-type'), await index.text()]).toEqual([
        200,
        'text/html; charset=utf-8',
        '<p>lab</p>',
      ])
      expect((await fetch(`${server.origin}/page.js`)).headers.get('content-type')).toBe(
        'text/javascript; charset=utf-8',
      )
      expect((await fetch(`${server.origin}/missing.js`)).status).toBe(404)
      expect((await fetch(`${server.origin}/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404)
    } finally {
      await server.close()
    }
  })

  it('takes another port, kept for its life, when another run holds the one asked for', async () => {
    const first = await serveStatic(root, 47819)
    const second = await serveStatic(root, 47819)
    try {
      expect(second.origin).not.toBe(first.origin)
      expect((await fetch(`${second.origin}/`)).status).toBe(200)
    } finally {
      await Promise.all([first.close(), second.close()])
    }
  })
})
