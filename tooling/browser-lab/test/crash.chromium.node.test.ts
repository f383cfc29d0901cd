import { describeCrashes } from './crash-suite.ts'

describeCrashes('chromium', 47811, { kills: Number(process.env.STOWAGE_CRASH_KILLS ?? 50) })
