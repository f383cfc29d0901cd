import { build } from 'esbuild'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface LabBundle {
  /** A temp folder holding index.html, page.js and worker.js. */
  dir: string
  remove(): Promise<void>
}

const PAGE =
  '<!doctype html><meta charset="utf-8"><title>Stowage lab</title><script type="module" src="./page.js"></script>\n'

/**
 * Bundles the lab page and a worker entry (a module that calls `serveLab` with the drivers under
 * trial) into a fresh temp folder, ready to serve.
 */
export async function bundleLab(workerEntry: string): Promise<LabBundle> {
  const dir = await mkdtemp(join(tmpdir(), 'stowage-lab-bundle-'))
  const remove = () => rm(dir, { recursive: true, force: true })
  try {
    await build({
      entryPoints: { page: fileURLToPath(new URL('./lab.page.ts', import.meta.url)), worker: workerEntry },
      outdir: dir,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      sourcemap: 'linked',
      logLevel: 'silent',
    })
    await writeFile(join(dir, 'index.html'), PAGE)
  } catch (error) {
    await remove()
    throw error
  }
  return { dir, remove }
}
