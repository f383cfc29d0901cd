import type { BenchJson } from './run.js'
import type { Spread } from './stats.js'

/** A workload, its strict saves and its relaxed ones. */
type Row = [what: string, strict: Spread, relaxed: Spread]

/** Each tier's strict contender (the default, with transfer) and its relaxed twin. */
const PAIRS = [
  ['opfs-sync', 'stowage-opfs-sync-transfer', 'stowage-opfs-sync-relaxed'],
  ['idb', 'stowage-idb-transfer', 'stowage-idb-relaxed'],
] as const

/** `--durability`'s report: median save ms, strict next to relaxed, per tier and workload, with their ratio. */
export function durabilityTable(json: BenchJson, busy: string | null): string {
  const summary = (id: string) => json.summary.find((contender) => contender.id === id)!
  const rows = PAIRS.flatMap(([tier, strictId, relaxedId]) => {
    const [strict, relaxed] = [summary(strictId), summary(relaxedId)]
    const workloads = [
      ...strict.sizes.map(
        (size, i): Row => [`${size.bytes / 1024} KiB, awaited one after another`, size.save, relaxed.sizes[i]!.save],
      ),
      ...strict.cadences.map(
        (cadence, i): Row => [
          `${cadence.bytes / 1024} KiB every ${cadence.everyMs} ms`,
          cadence.save,
          relaxed.cadences[i]!.save,
        ],
      ),
    ]
    return workloads.map(
      ([what, s, r]) =>
        `| ${tier} | ${what} | ${s.median.toFixed(2)} | ${r.median.toFixed(2)} | ${(s.median / r.median).toFixed(2)}x | ${s.n} |`,
    )
  })
  return [
    `# Strict next to relaxed (${json.meta.date}, ${json.meta.browser})`,
    '',
    `Median ms of a save through \`connect(worker)\` with transfer, timed on the page. Load average ${json.meta.load.before[0]!.toFixed(2)} when the run started, ${json.meta.load.after[0]!.toFixed(2)} when it ended.${busy ? ` Note: ${busy}` : ''}`,
    '',
    '| tier | workload | strict | relaxed | strict / relaxed | saves |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ].join('\n')
}
