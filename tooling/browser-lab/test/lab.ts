import { fileURLToPath } from 'node:url'
import { launchChromium } from '../src/chromium.ts'
import { createLab, type Lab } from '../src/lab.ts'

/** This folder's lab in Chromium, on `port` (one per test file: the origin, and so the data, hang on it). */
export function chromiumLab(port: number): Promise<Lab> {
  return createLab({ port, worker: fileURLToPath(new URL('./lab.worker.ts', import.meta.url)), launch: launchChromium })
}
