import { describeCrashes } from './crash-suite.ts'

const kills = process.env.STOWAGE_CRASH_KILLS

// idb-chunks and the relaxed drivers get fewer kills than the drivers proven longest: for CI's time budget.
describeCrashes('chromium', 47811, {
  kills: Number(kills ?? 50),
  killsOf: {
    'idb-chunks': Number(kills ?? 20),
    'opfs-sync-relaxed': Number(kills ?? 20),
    'idb-relaxed': Number(kills ?? 20),
  },
})
