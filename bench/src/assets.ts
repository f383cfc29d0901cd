import { build } from 'esbuild'
import { basename, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Asset } from './server.js'

const page =
  '<!doctype html><meta charset="utf-8"><title>Stowage bench</title><link rel="icon" href="data:,"><script type="module" src="/main.js"></script>'

/** The page and its two workers, bundled from src/page with the packages' published dist. */
export async function pageAssets(root: string): Promise<Map<string, Asset>> {
  const dir = join(root, 'src', 'page')
  const result = await build({
    entryPoints: {
      main: join(dir, 'main.ts'),
      'stowage.worker': join(dir, 'stowage.worker.ts'),
      'raw.worker': join(dir, 'raw.worker.ts'),
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: join(root, 'dist', 'page'),
    write: false,
    logLevel: 'warning',
  })
  const assets = new Map<string, Asset>([['/', { body: page, type: 'text/html; charset=utf-8' }]])
  for (const file of result.outputFiles)
    assets.set(`/${basename(file.path)}`, { body: file.contents, type: 'text/javascript' })
  return assets
}

export interface Shipped {
  id: string
  label: string
  source: string
  min: number
  gzip: number
}

const everything = [
  "export { serve, connect } from '@stowage/worker-host'",
  "export { opfsSync } from '@stowage/driver-opfs-sync'",
  "export { opfsAsync } from '@stowage/driver-opfs-async'",
  "export { idb } from '@stowage/driver-idb'",
].join('\n')

const worker = [
  "import { serve } from '@stowage/worker-host'",
  "import { opfsSync } from '@stowage/driver-opfs-sync'",
  "import { opfsAsync } from '@stowage/driver-opfs-async'",
  "import { idb } from '@stowage/driver-idb'",
  'serve([opfsSync(), opfsAsync(), idb()])',
].join('\n')

const bundles = [
  { id: 'stowage', label: 'Stowage: worker-host + core + the three drivers, one bundle', source: everything },
  {
    id: 'stowage-page',
    label: 'Stowage, page file: connect',
    source: "export { connect } from '@stowage/worker-host'",
  },
  { id: 'stowage-worker', label: 'Stowage, worker file: serve + the three drivers', source: worker },
  { id: 'idb-keyval', label: 'idb-keyval', source: "export * from 'idb-keyval'" },
  { id: 'localforage', label: 'localForage', source: "export { default } from 'localforage'" },
]

/** Min and min + gzip (level 9) bytes of what an app ships for each contender, bundled by esbuild. */
export async function shippedSizes(root: string): Promise<Shipped[]> {
  return Promise.all(
    bundles.map(async (bundle) => {
      const result = await build({
        stdin: { contents: bundle.source, resolveDir: root, loader: 'js' },
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        write: false,
      })
      const code = result.outputFiles[0]!.contents
      return { ...bundle, min: code.length, gzip: gzipSync(code, { level: 9 }).length }
    }),
  )
}
