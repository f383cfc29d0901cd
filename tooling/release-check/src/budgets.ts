/**
 * Size budgets, min + gzip bytes, of what an app ships. Each bundle is built from the packages'
 * real dist output with esbuild (minified, for browsers) and gzipped at level 9.
 */
export const budgets: { name: string; source: string; bytes: number }[] = [
  { name: '@stowage/core', source: "export * from '@stowage/core'", bytes: 2650 },
  { name: '@stowage/driver-opfs-sync', source: "export * from '@stowage/driver-opfs-sync'", bytes: 3100 },
  { name: '@stowage/driver-opfs-async', source: "export * from '@stowage/driver-opfs-async'", bytes: 2300 },
  { name: '@stowage/driver-idb', source: "export * from '@stowage/driver-idb'", bytes: 2000 },
  { name: '@stowage/worker-host', source: "export * from '@stowage/worker-host'", bytes: 3400 },
  { name: '@stowage/genosdb (page side)', source: "export * from '@stowage/genosdb'", bytes: 600 },
  { name: 'the page client (connect)', source: "export { connect } from '@stowage/worker-host'", bytes: 2050 },
  {
    name: 'an app with everything (worker and page)',
    source: [
      "export { serve, connect } from '@stowage/worker-host'",
      "export { opfsSync } from '@stowage/driver-opfs-sync'",
      "export { opfsAsync } from '@stowage/driver-opfs-async'",
      "export { idb } from '@stowage/driver-idb'",
    ].join('\n'),
    bytes: 7000,
  },
]
