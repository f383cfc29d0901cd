import { build, type Plugin } from 'esbuild'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'

/**
 * A change to one module's source as it is bundled (a planted bug, say): in the module whose path
 * ends with `file`, `from` becomes `to`. Bundling fails when `from` is not there.
 */
export interface Patch {
  file: string
  from: string
  to: string
}

export interface BundleOptions {
  /** Changes to modules' sources as they are bundled. */
  patches?: Patch[]
  /** More entries besides the page, by output name (`{ worker: path }` gives worker.js). */
  entries?: Record<string, string>
}

export interface PageBundle {
  /** A temp folder holding index.html, page.js and one .js per worker the page starts. */
  dir: string
  remove(): Promise<void>
}

const PAGE =
  '<!doctype html><meta charset="utf-8"><title>Stowage</title><script type="module" src="./page.js"></script>\n'

// `new URL('./x.worker.ts', import.meta.url)`, the way the tests name their workers for Vite.
const WORKER_URL = /new URL\((['"])(\.{1,2}\/[^'"]+?\.[cm]?[jt]s)\1,\s*import\.meta\.url\)/g

/**
 * Bundles `pageEntry` and every module it starts as `new URL('./x.ts', import.meta.url)`, found
 * transitively, into one flat temp folder: each such URL is rewritten to the bundled file beside
 * page.js, so tests written for Vite run unchanged on any served page.
 */
export async function bundlePage(
  pageEntry: string,
  { patches = [], entries = {} }: BundleOptions = {},
): Promise<PageBundle> {
  const dir = await mkdtemp(join(tmpdir(), 'stowage-page-'))
  const remove = () => rm(dir, { recursive: true, force: true })
  try {
    const named = Object.entries({ page: pageEntry, ...entries }).map(([name, path]) => [resolve(path), name] as const)
    const outputs = new Map<string, string>(named)
    // Each build may find workers it had no entry for: build again until none is new.
    for (let known = 0; known !== outputs.size; ) {
      known = outputs.size
      await build({
        entryPoints: Object.fromEntries([...outputs].map(([path, name]) => [name, path])),
        outdir: dir,
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        sourcemap: 'linked',
        logLevel: 'silent',
        plugins: [workerUrls(outputs, patches)],
      })
    }
    await writeFile(join(dir, 'index.html'), PAGE)
  } catch (error) {
    await remove()
    throw error
  }
  return { dir, remove }
}

function workerUrls(outputs: Map<string, string>, patches: Patch[]): Plugin {
  const nameFor = (path: string) => {
    let name = outputs.get(path)
    if (name) return name
    const stem = basename(path).replace(/\.[cm]?[jt]s$/, '')
    const taken = new Set(outputs.values())
    name = stem
    for (let i = 2; taken.has(name); i++) name = `${stem}-${i}`
    outputs.set(path, name)
    return name
  }
  return {
    name: 'worker-urls',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async ({ path }) => {
        if (path.includes('/node_modules/')) return undefined
        let source = await readFile(path, 'utf8')
        const patched = patches.filter(({ file }) => path.endsWith(file))
        for (const { file, from, to } of patched) {
          if (!source.includes(from)) throw new Error(`Patch for ${file}: ${JSON.stringify(from)} is not in ${path}`)
          source = source.replace(from, to)
        }
        if (!patched.length && !source.includes('import.meta.url')) return undefined
        const contents = source.replace(WORKER_URL, (_, quote: string, relative: string) => {
          const name = nameFor(resolve(dirname(path), relative))
          return `new URL(${quote}./${name}.js${quote}, import.meta.url)`
        })
        return { contents, loader: /\.[cm]?ts$/.test(path) ? 'ts' : 'js' }
      })
    },
  }
}
