import { fileURLToPath } from 'node:url'
import type { Engine } from '@stowage/browsers/launch'
import type { Patch } from '@stowage/browsers/session'
import { createLab, type Lab } from '../src/lab.ts'

/**
 * This folder's lab in `engine`, on `port`: one per test file, because the origin, and so the
 * data a relaunch must find, hangs on it.
 */
export function labIn(engine: Engine, port: number, patches?: Patch[]): Promise<Lab> {
  return createLab({ engine, port, worker: fileURLToPath(new URL('./lab.worker.ts', import.meta.url)), patches })
}
