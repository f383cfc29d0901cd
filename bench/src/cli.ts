import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { chart } from './chart.js'
import { durabilityTable } from './durability.js'
import { markdown } from './report.js'
import type { Engine } from '../../tooling/browsers/src/browser.ts'
import { runBench } from './run.js'

const usage = `npm run bench [-- --quick | --durability] [-- --engine chromium|firefox] [-- --out <dir>]
  --quick      a smoke run of well under a minute an engine; writes to a new temporary folder unless --out is given
  --durability strict next to relaxed on opfs-sync and idb (1 KiB, 64 KiB, a 64 KiB autosave); a temporary folder too
  --engine     one engine only (default: Chromium, then Firefox; Chromium alone with --durability)
  --out <dir>  where bench.md, bench.json and bench.svg go, bench-firefox.* for Firefox (default: docs/ for a full run)`

const ENGINES: Engine[] = ['chromium', 'firefox']

/** `npm run bench`: runs the benchmark and writes bench.md, bench.json and bench.svg. Resolves the exit code. */
export async function main(argv: string[], root: string): Promise<number> {
  if (argv.includes('--help')) {
    console.log(usage)
    return 0
  }
  const quick = argv.includes('--quick')
  const mode = argv.includes('--durability') ? 'durability' : undefined
  const engineAt = argv.indexOf('--engine')
  const named = engineAt >= 0 ? (argv[engineAt + 1] as Engine) : undefined
  if (named && !ENGINES.includes(named)) {
    console.error(usage)
    return 2
  }
  const engines = named ? [named] : mode ? ['chromium' as const] : ENGINES
  const outAt = argv.indexOf('--out')
  const out =
    outAt >= 0
      ? argv[outAt + 1]
      : quick || mode
        ? await mkdtemp(join(tmpdir(), 'stowage-bench-'))
        : join(root, '..', 'docs')
  if (!out) {
    console.error(usage)
    return 2
  }
  await mkdir(out, { recursive: true })
  let failed = false
  for (const engine of engines) {
    const load = loadavg()[0]!
    console.error(
      `Stowage bench${quick ? ' (quick)' : ''} in ${engine}: load average ${load.toFixed(2)}, writing to ${out}`,
    )
    const json = await runBench({ root, quick, engine, mode, log: (line) => console.error(line) })
    // Another tenant's load inflates every figure: the page says so rather than letting it pass for the browser's.
    const [before, after] = [json.meta.load.before[0]!, json.meta.load.after[0]!]
    const busy =
      before >= 2.5
        ? `the 1-minute load average was ${before.toFixed(2)} on ${json.meta.machine.cores} cores when this run started (other work on a shared machine); every figure is inflated by it.`
        : after >= 2.5
          ? `the 1-minute load average was ${before.toFixed(2)} when this run started but ${after.toFixed(2)} when it ended (other work on a shared machine); figures measured late in the run are inflated by it.`
          : null
    const name = engine === 'chromium' ? 'bench' : `bench-${engine}`
    await writeFile(join(out, `${name}.json`), `${JSON.stringify(json, null, 1)}\n`)
    if (mode) {
      // Four contenders only: the full report's ratios to the floor have nothing to stand on.
      const table = durabilityTable(json, busy)
      await writeFile(join(out, `${name}.md`), table)
      console.log(table)
    } else {
      await Promise.all([
        writeFile(join(out, `${name}.md`), markdown(json, { busy, name })),
        writeFile(join(out, `${name}.svg`), chart(json)),
      ])
    }
    const failures = json.contenders.filter((result) => result.checks.failed > 0)
    for (const result of failures)
      console.error(`byte checks failed for ${result.info.label}: ${result.checks.failures.slice(0, 3).join('; ')}`)
    failed ||= failures.length > 0
    console.error(
      `wrote ${join(out, `${name}.md`)}, ${name}.json${mode ? '' : `, ${name}.svg`} in ${(json.meta.durationMs / 1000).toFixed(0)} s`,
    )
  }
  return failed ? 1 : 0
}
