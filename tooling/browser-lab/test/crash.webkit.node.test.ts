import { describeCrashes } from './crash-suite.ts'

// WebKitGTK has no sync access handles: opfs-sync cannot serve there, and the torn driver is the
// IndexedDB save split in two transactions.
describeCrashes('webkit', 47817, {
  kills: Number(process.env.STOWAGE_CRASH_KILLS ?? 10),
  under: ['opfs-async', 'idb'],
  torn: { driver: 'split-idb', problems: ['NOT_FOUND'] },
})
