import { describeAdoptionCrashes } from './adoption-suite.ts'

describeAdoptionCrashes(
  'firefox',
  47862,
  [
    ['opfs-async', 'opfs-sync'],
    ['idb', 'opfs-sync'],
  ],
  Number(process.env.STOWAGE_CRASH_KILLS ?? 6),
)
