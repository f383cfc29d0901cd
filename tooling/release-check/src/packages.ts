import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export const root = new URL('../../..', import.meta.url).pathname

export interface PublishedPackage {
  name: string
  dir: string
  manifest: Record<string, unknown>
}

/** Every package under packages/ that is published (not private). */
export function publishedPackages(): PublishedPackage[] {
  return readdirSync(join(root, 'packages'))
    .map((folder) => join(root, 'packages', folder))
    .map((dir) => ({
      dir,
      manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>,
    }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({ name: manifest.name as string, dir, manifest }))
}
