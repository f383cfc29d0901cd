import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { root } from '../src/packages.ts'

/** Every TypeScript file under `dir`, dependencies and builds left out. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return ['node_modules', 'dist', '.turbo'].includes(entry.name) ? [] : sources(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** The files `file` imports by relative path, type-only imports included: a reader meets those circles too. */
function imports(file: string): string[] {
  const found = readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)
  return [...found].flatMap(([, spec]) => {
    const path = resolve(dirname(file), spec!)
    return [path, path.replace(/\.js$/, '.ts'), `${path}.ts`].filter((candidate) => existsSync(candidate)).slice(0, 1)
  })
}

/** Each import circle among `files`, as the files around it. */
function circles(files: string[]): string[][] {
  const found: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === 'done') return
    if (state.get(file) === 'open') return void found.push(path.slice(path.indexOf(file)))
    state.set(file, 'open')
    for (const next of imports(file)) visit(next, [...path, file])
    state.set(file, 'done')
  }
  for (const file of files) visit(file, [])
  return found
}

describe('imports', () => {
  it('make no circle anywhere in packages/ or tooling/', () => {
    const files = ['packages', 'tooling'].flatMap((group) => sources(join(root, group)))
    expect(files.length).toBeGreaterThan(100)
    expect(circles(files).map((circle) => circle.map((file) => relative(root, file)))).toEqual([])
  })
})
