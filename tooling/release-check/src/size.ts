import { build } from 'esbuild'
import { gzipSync } from 'node:zlib'

/** Min + gzip size of what a browser bundle of `source` (ESM, resolved from `dir`) ships. */
export async function shippedBytes(source: string, dir: string): Promise<number> {
  const result = await build({
    stdin: { contents: source, resolveDir: dir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
  })
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length
}
