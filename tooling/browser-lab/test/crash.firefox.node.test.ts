import { describeCrashes } from './crash-suite.ts'

// idb-chunks (see drivers.ts) runs on Chromium only, to keep within CI's time budget.
describeCrashes('firefox', 47814, { kills: Number(process.env.STOWAGE_CRASH_KILLS ?? 30), under: ['opfs-sync', 'opfs-async', 'idb'] })
