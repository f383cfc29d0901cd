/**
 * Size budgets, min + gzip bytes, of the two bundles an app ships: the worker (serve and the
 * drivers it tries) and the page (connect). Each is built from the packages' real dist output with
 * esbuild (minified, for browsers) and gzipped at level 9. Budgets keep headroom over the measured
 * size, so that readable code never has to be golfed to fit; the page bundle is on the critical
 * path of every page load and stays at or under 2 KB.
 */
export const budgets: { name: string; source: string; bytes: number }[] = [
  {
    name: 'the worker an app ships: serve and the three drivers',
    source: [
      "export { serve } from '@stowage/worker-host'",
      "export { opfsSync } from '@stowage/driver-opfs-sync'",
      "export { opfsAsync } from '@stowage/driver-opfs-async'",
      "export { idb } from '@stowage/driver-idb'",
    ].join('\n'),
    // 6882 B before issue 16 and 17. Every worker needs what they added: bounded lock waits and
    // cancellation (~0.6 KB), adoption (the sweep, save times, opfs-sync's getFile reader; ~1.4 KB)
    // and relaxed durability (~0.25 KB). 9272 B when first measured with all three. Issue 19 added
    // opfs-async's checked format (+637 B, of which xxHash32 is 390: its constants do not compress),
    // and adoption's settling (old copies kept until the new ones settle, removes that reach them,
    // the wait for a coarse clock; ~0.45 KB): 10751 B measured then.
    bytes: 11_200,
  },
  { name: 'the page an app ships: connect', source: "export { connect } from '@stowage/worker-host'", bytes: 2048 },
  { name: "GenosDB's page side", source: "export * from '@stowage/genosdb'", bytes: 650 },
  // On top of connect; 2109 B when first measured (automerge-repo's own wasm is hundreds of KB).
  {
    name: "automerge-repo's page side: the adapter and the import",
    source: "export * from '@stowage/automerge-repo'",
    bytes: 2400,
  },
]
