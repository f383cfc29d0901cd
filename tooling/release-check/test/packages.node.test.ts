import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { describe, expect, it } from 'vitest'
import { budgets } from '../src/budgets.ts'
import { publishedPackages, root } from '../src/packages.ts'
import { shippedBytes } from '../src/size.ts'

const packages = publishedPackages()
const require = createRequire(import.meta.url)
const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

/** Driver factories by package, for the probe-in-Node check. */
const factories: Record<string, string> = {
  '@stowage/driver-opfs-sync': 'opfsSync',
  '@stowage/driver-opfs-async': 'opfsAsync',
  '@stowage/driver-idb': 'idb',
}

it('finds the published packages', () => {
  expect(packages.map((pkg) => pkg.name).sort()).toEqual(
    expect.arrayContaining([
      '@stowage/core',
      '@stowage/driver-idb',
      '@stowage/driver-opfs-async',
      '@stowage/driver-opfs-sync',
      '@stowage/worker-host',
    ]),
  )
})

describe.each(packages)('$name', ({ name, dir, manifest }) => {
  it('passes publint --strict', async () => {
    const { messages, pkg } = await publint({ pkgDir: dir, strict: true, pack: 'npm' })
    expect(messages.map((message) => `${message.type}: ${formatMessage(message, pkg)}`)).toEqual([])
  })

  it('has types that resolve for ESM and CJS consumers, in Node and bundlers (attw --pack)', () => {
    const report = JSON.parse(run('npx', ['attw', '--pack', '.', '--profile', 'node16', '--format', 'json'], dir)) as {
      problems: Record<string, { entrypoint: string; resolutionKind?: string }[]>
    }
    // node10 resolution predates `exports` and cannot see subpaths: the node16 profile leaves it out.
    const problems = Object.values(report.problems)
      .flat()
      .filter((problem) => problem.resolutionKind !== 'node10')
    expect(problems).toEqual([])
  }, 120_000)

  it('packs only dist, README, LICENSE and package.json', () => {
    const [packed] = JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], dir)) as {
      files: { path: string }[]
    }[]
    const files = packed!.files.map((file) => file.path)
    expect(files).toContain('README.md')
    expect(files).toContain('LICENSE')
    expect(files.filter((path) => !/^(dist\/|README\.md$|LICENSE$|package\.json$)/.test(path))).toEqual([])
  })

  it('declares what a registry page needs: license, repository, keywords, engines', () => {
    expect(manifest).toMatchObject({ license: 'MIT', sideEffects: false })
    expect(manifest.repository).toMatchObject({ type: 'git', directory: expect.stringContaining('packages/') })
    expect((manifest.keywords as string[]).length).toBeGreaterThan(2)
    expect(manifest.engines).toMatchObject({ node: expect.any(String) })
  })

  it('imports in Node, as ESM and as CJS, without touching browser globals', async () => {
    const esm = (await import(name)) as Record<string, unknown>
    const cjs = require(name) as Record<string, unknown>
    expect(Object.keys(esm).sort()).toEqual(Object.keys(cjs).sort())
    const factory = factories[name]
    if (!factory) return
    const driver = (esm[factory] as () => { probe(): Promise<void> })()
    await expect(driver.probe()).rejects.toMatchObject({
      name: 'StorageError',
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/\w{8}/),
    })
  })
})

describe('size budgets (min + gzip, from the built dist)', () => {
  it.each(budgets)('$name ships at most $bytes B', async ({ source, bytes }) => {
    const shipped = await shippedBytes(source, root)
    console.log(`${shipped} B`)
    expect(shipped).toBeLessThanOrEqual(bytes)
  })
})

describe('releases', () => {
  // On a clean clone every change is committed, so this holds; in a working tree it would flag
  // every uncommitted edit, so it runs in CI only.
  it.runIf(process.env.CI)('changesets finds nothing pending that lacks a changeset', () => {
    expect(() => run('npx', ['changeset', 'status'], root)).not.toThrow()
  })
})
