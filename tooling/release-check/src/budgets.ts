/**
 * Size budgets, min + gzip bytes, of what an app ships. Each bundle is built from the packages'
 * real dist output with esbuild (minified, for browsers) and gzipped at level 9.
 */
export const budgets: { name: string; source: string; bytes: number }[] = [
  { name: '@stowage/core', source: "export * from '@stowage/core'", bytes: 2400 },
  { name: '@stowage/driver-opfs-sync', source: "export * from '@stowage/driver-opfs-sync'", bytes: 3200 },
  { name: '@stowage/driver-opfs-async', source: "export * from '@stowage/driver-opfs-async'", bytes: 1900 },
  { name: '@stowage/driver-idb', source: "export * from '@stowage/driver-idb'", bytes: 2100 },
  { name: '@stowage/worker-host', source: "export * from '@stowage/worker-host'", bytes: 3800 },
  { name: 'the page client (connect)', source: "export { connect } from '@stowage/worker-host'", bytes: 2300 },
  {
    name: 'an app with everything (worker and page)',
    source: [
      "export { serve, connect } from '@stowage/worker-host'",
      "export { opfsSync } from '@stowage/driver-opfs-sync'",
      "export { opfsAsync } from '@stowage/driver-opfs-async'",
      "export { idb } from '@stowage/driver-idb'",
    ].join('\n'),
    bytes: 7800,
  },
]
