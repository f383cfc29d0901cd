// Node 20 runs no TypeScript: bundle the runner (its dependencies stay external) and run it.
import { build } from 'esbuild'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const outfile = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url))
await build({
  entryPoints: [fileURLToPath(new URL('./cli.ts', import.meta.url))],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile,
  logLevel: 'warning',
})
const { main } = await import(pathToFileURL(outfile).href)
process.exitCode = await main(process.argv.slice(2), root)
