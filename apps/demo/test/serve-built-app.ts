import { fileURLToPath } from 'node:url'
import { build, preview } from 'vite'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built demo, served by vite preview, e.g. http://127.0.0.1:40123/ */
    demoUrl: string
  }
}

const root = fileURLToPath(new URL('..', import.meta.url))

/** Builds the demo as `npm run build` does and serves dist/ on a free port until the run ends. */
export default async function serveBuiltApp(project: TestProject): Promise<() => Promise<void>> {
  await build({ root, logLevel: 'warn' })
  const server = await preview({ root, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0, strictPort: true } })
  try {
    const url = server.resolvedUrls?.local[0]
    if (!url) throw new Error('vite preview did not report a URL')
    project.provide('demoUrl', url)
  } catch (error) {
    await server.close()
    throw error
  }
  return () => server.close()
}
