import { describeCrashes } from './crash-suite.ts'

describeCrashes('firefox', 47814, { kills: Number(process.env.STOWAGE_CRASH_KILLS ?? 30) })
