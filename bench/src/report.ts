import { kB, ms, size, times } from './format.js'
import type { BenchJson } from './run.js'
import { median, p95 } from './stats.js'
import { judgeTargets } from './targets.js'

const FLOOR = 'floor'
const KEYVAL = 'idb-keyval'

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`

/** Where the run stood: what, when, on which browser and machine, and how loaded the machine was. */
export function stamp({ meta }: BenchJson): string {
  const { machine } = meta
  return `${meta.date.slice(0, 16).replace('T', ' ')} UTC · headless ${meta.browser} · ${machine.cpu}, ${machine.cores} cores · load ${meta.load.before[0]!.toFixed(1)}`
}

/** The report of one engine's run; `name` is its files' name (bench, bench-firefox). */
export function markdown(json: BenchJson, { busy, name }: { busy: string | null; name: string }): string {
  const { meta, config, summary } = json
  const labels = new Map(json.contenders.map(({ info }) => [info.id, info.label]))
  const clocks = new Map(json.contenders.map(({ info }) => [info.id, info.clock]))
  const byId = new Map(summary.map((entry) => [entry.id, entry]))
  const lines: string[] = []
  const push = (...more: string[]) => lines.push(...more)

  push(
    '# Stowage benchmark',
    '',
    `Measured ${meta.date.slice(0, 16).replace('T', ' ')} UTC in headless ${meta.browser} with a disk-backed profile, ` +
      `on ${meta.machine.cpu} (${meta.machine.cores} cores, ${meta.machine.memoryGiB} GiB, ${meta.machine.os}), Node ${meta.machine.node}. ` +
      `Load average (1, 5, 15 min): ${meta.load.before.map((value) => value.toFixed(2)).join(', ')} at the start, ` +
      `${meta.load.after.map((value) => value.toFixed(2)).join(', ')} at the end; the run took ${(meta.durationMs / 1000).toFixed(0)} s.`,
    '',
  )
  if (meta.quick)
    push(
      '> **Quick run**: a smoke test with few rounds, small bursts and no 16 MiB payloads. Its figures say nothing reliable.',
      '',
    )
  if (busy) push(`> **Busy machine**: ${busy}`, '')
  push(
    `Run it: \`npm run bench\` (this page, \`${name}.json\` with every raw timing, \`${name}.svg\`; Chromium's run and Firefox's), or \`npm run bench -- --quick\` for a smoke run that writes to a temporary folder.`,
    '',
    `![Save and load medians, burst and main-thread gaps per contender](${name}.svg)`,
    '',
    '## Targets (Stowage on opfs-sync)',
    '',
    row(['target', 'this run', 'met']),
    row(['---', '---', '---']),
    ...judgeTargets(json).map(({ target, figure, met }) =>
      row([target, figure, met === null ? 'not measured' : met ? '**met**' : '**missed**']),
    ),
    '',
    '## Save and load',
    '',
    'Median and p95 in ms. "× floor" divides a median by that of the floor (a raw sync handle kept open in a worker, timed on the page,',
    'one message each way with the bytes transferred: what any worker-based library pays at the least); "× idb-keyval" by idb-keyval\'s.',
    'Below 1 is faster. Stowage, the floor and the libraries are timed on the page (what the app waits for); the other raw APIs inside',
    'their worker (no round trip at all).',
    '',
  )

  for (const [index, { bytes, reps }] of config.sizes.entries()) {
    const floor = byId.get(FLOOR)?.sizes[index]
    const keyval = byId.get(KEYVAL)?.sizes[index]
    push(
      `### ${size(bytes)} (${reps} timed rounds)`,
      '',
      row([
        'contender',
        'clock',
        'save median',
        'save p95',
        '× floor',
        '× idb-keyval',
        'load median',
        'load p95',
        '× floor',
        '× idb-keyval',
      ]),
      row(['---', '---', ...Array(8).fill('---:')]),
    )
    for (const entry of summary) {
      const at = entry.sizes[index]
      if (!at) continue
      push(
        row([
          labels.get(entry.id)!,
          clocks.get(entry.id)!,
          ms(at.save.median),
          ms(at.save.p95),
          times(at.save.median / floor!.save.median),
          times(at.save.median / keyval!.save.median),
          ms(at.load.median),
          ms(at.load.p95),
          times(at.load.median / floor!.load.median),
          times(at.load.median / keyval!.load.median),
        ]),
      )
    }
    push('')
  }

  const { count, bytes, rounds } = config.burst
  const keyvalBurst = byId.get(KEYVAL)?.burst?.ms ?? NaN
  push(
    '## Burst, main thread, byte checks',
    '',
    `Burst: ${count} un-awaited saves of ${size(bytes)} to one file, ${rounds} time(s) per contender; the median total time, every error, ` +
      'and whether the file then holds exactly the bytes of a save that was acknowledged.',
    `Main thread: the worst interval of a setTimeout(0) chain and of animation frames on the page while ${config.gap.count} saves of ` +
      `${size(config.gap.bytes)} run one after another, next to the same watch for as long again with nothing running, right after.`,
    '',
    row([
      'contender',
      'burst total',
      '× idb-keyval',
      'burst errors',
      'file holds an acknowledged save',
      `${config.gap.count} × ${size(config.gap.bytes)} took`,
      'worst setTimeout gap (idle)',
      'worst frame gap (idle)',
      'byte checks passed',
    ]),
    row(['---', '---:', '---:', '---:', '---', '---:', '---:', '---:', '---:']),
  )
  for (const entry of summary) {
    const result = json.contenders.find(({ info }) => info.id === entry.id)!
    const errors = result.bursts.flatMap((run) => Object.entries(run.errorNames).map(([name, n]) => `${n} ${name}`))
    push(
      row([
        labels.get(entry.id)!,
        `${ms(entry.burst?.ms)} ms`,
        times((entry.burst?.ms ?? NaN) / keyvalBurst),
        entry.burst
          ? `${entry.burst.errors} of ${entry.burst.saves}${errors.length ? ` (${errors.join(', ')})` : ''}`
          : '—',
        entry.burst ? (entry.burst.allLanded ? 'yes' : '**no**') : '—',
        entry.gap
          ? `${ms(entry.gap.ms)} ms (${ms(entry.gap.ms / config.gap.count)} a save)${entry.gap.errors ? `, ${entry.gap.errors} errors` : ''}`
          : '—',
        entry.gap ? `${ms(entry.gap.timeout)} (${ms(entry.gap.idle.timeout)})` : '—',
        entry.gap ? `${ms(entry.gap.frame)} (${ms(entry.gap.idle.frame)})` : '—',
        `${entry.checks.passed} of ${entry.checks.passed + entry.checks.failed}`,
      ]),
    )
  }

  push(
    '',
    "## Saves in an app's rhythm",
    '',
    'One save every so often, each contender in turn (the order rotated each tick), so that every file sits idle between its saves',
    'as an autosaved file does: no lease, cache or connection stays warm for free. Median and p95 in ms of the timed saves (the first is untimed).',
    '',
    row([
      'contender',
      ...config.cadences.flatMap(({ bytes, everyMs, count }) => [
        `${size(bytes)} every ${everyMs} ms (${count - 1}): median`,
        'p95',
        '× floor',
        '× idb-keyval',
      ]),
    ]),
    row(['---', ...config.cadences.flatMap(() => Array(4).fill('---:'))]),
  )
  for (const entry of summary) {
    push(
      row([
        labels.get(entry.id)!,
        ...config.cadences.flatMap((_, index) => {
          const save = entry.cadences[index]?.save
          const base = (id: string) => byId.get(id)?.cadences[index]?.save.median ?? NaN
          return [
            ms(save?.median),
            ms(save?.p95),
            times((save?.median ?? NaN) / base(FLOOR)),
            times((save?.median ?? NaN) / base(KEYVAL)),
          ]
        }),
      ]),
    )
  }

  const coldMedian = (id: string) => median(json.cold.find((entry) => entry.id === id)?.runs.map((run) => run.ms) ?? [])
  push(
    '',
    '## Cold start',
    '',
    `A browser just launched on the same profile, ${config.cold.reps} time(s) per contender in rotation: from starting the contender alone`,
    `(its worker, handle or connection, and for Stowage its probe) to the ${size(config.cold.bytes)} it saved last in hand, checked byte for byte.`,
    '',
    row(['contender', 'median ms', '× floor', 'every run (ms)', 'bytes right']),
    row(['---', '---:', '---:', '---', '---']),
    ...json.cold.map(({ id, runs }) =>
      row([
        labels.get(id) ?? id,
        ms(coldMedian(id)),
        times(coldMedian(id) / coldMedian(FLOOR)),
        runs.map((run) => ms(run.ms)).join(', '),
        runs.every((run) => run.same) ? 'yes' : '**no**',
      ]),
    ),
  )

  if (json.twoTabs.length) {
    const tabMedian = (id: string) => median(json.twoTabs.find((run) => run.id === id)?.save ?? [])
    push(
      '',
      '## Two tabs',
      '',
      `Two tabs of one browser, each with the contender's worker of its own, save one ${size(config.twoTabs.bytes)} file by turns (${config.twoTabs.turns} saves,`,
      "the first of each tab untimed), as two open tabs of one app autosaving the same document do. Each save is timed on its tab's page.",
      '',
      row(['contender', 'median ms', 'p95 ms', '× idb-keyval', 'timed saves', 'file holds the last save']),
      row(['---', '---:', '---:', '---:', '---:', '---']),
      ...json.twoTabs.map(({ id, save, same, errors }) =>
        row([
          labels.get(id) ?? id,
          ms(tabMedian(id)),
          ms(p95(save)),
          times(tabMedian(id) / tabMedian(KEYVAL)),
          String(save.length),
          errors.length ? `**error**: ${errors[0]}` : same ? 'yes' : '**no**',
        ]),
      ),
    )
  }

  push(
    '',
    '## What an app ships',
    '',
    'Min and min + gzip (level 9) of an esbuild bundle (ESM, minified, for browsers) of the published dist. The raw APIs ship nothing.',
    '',
    row(['bundle', 'source', 'min', 'min + gzip']),
    row(['---', '---', '---:', '---:']),
    ...json.bundles.map((bundle) =>
      row([
        bundle.label,
        `\`${bundle.source.replaceAll('\n', '; ')}\``,
        kB(bundle.min),
        `${kB(bundle.gzip)} (${bundle.gzip} B)`,
      ]),
    ),
    '',
  )

  const failing = json.contenders.filter((result) => result.errors.length || result.checks.failed)
  if (failing.length) {
    push('## Errors and failed checks', '')
    for (const result of failing) {
      const all = [...result.errors, ...result.checks.failures]
      push(`- ${result.info.label}: ${all.length} (${all.slice(0, 3).join('; ')}${all.length > 3 ? '; …' : ''})`)
    }
    push('')
  }

  push(
    '## How it is measured',
    '',
    '- The browser runs headless from a fresh profile folder on disk (an off-the-record context or private window keeps storage in memory and flatters everyone), launched by the shared rig (tooling/browsers). The page and its workers are one esbuild bundle served on 127.0.0.1, cross-origin isolated so that `performance.now()` is precise.',
    "- Payloads are pseudo-random bytes (xorshift, the same in every context, so that a browser launched later can check them). Every save, for every contender, gets a buffer of its own holding a new variant (its first four bytes change), written before the clock starts, as an app's new content would be; every load is compared byte for byte with what was saved.",
    "- Each round runs every contender once (save, then load), the order rotated each round so that drift and the machine's load hit all alike. One untimed round per size warms each contender up.",
    "- Stowage: `connect(worker)` on the page, the worker serving only the tier under test (`serve([opfsSync()])`, `serve([opfsAsync()])` or `serve([idb()])`), with the default copy or `{ transfer: true }`. Each contender has its own worker, directory or database, and default options (opfs-sync keeps a file's handle open for 100 ms after its last operation).",
    '- The floor: a sync access handle kept open in a dedicated worker (truncate + write + flush), timed on the page, the bytes transferred to the worker and back by one message each way.',
    '- Raw APIs, each in a dedicated worker of its own and timed there: a sync access handle kept open for the whole run (truncate + write + flush, the physical limit); a sync handle opened and closed around every save and load (the naive way); `createWritable` + `write` + `close`, loads by `getFile()`; IndexedDB `put`/`get`, one transaction each, default durability.',
    "- idb-keyval `set`/`get` and localForage `setItem`/`getItem`, default stores, called on the page as apps call them. (Stowage's idb tier asks IndexedDB for strict durability; these two and raw IndexedDB use the browser's default.)",
    '',
  )
  return lines.join('\n')
}
