import { describeAdoptionCrashes } from './adoption-suite.ts'

const kills = Number(process.env.STOWAGE_CRASH_KILLS ?? 8)

describeAdoptionCrashes(
  'chromium',
  47861,
  [
    ['opfs-async', 'opfs-sync'],
    ['idb', 'opfs-sync'],
    ['opfs-sync', 'idb'],
  ],
  kills,
)
