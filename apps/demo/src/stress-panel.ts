import type { Client } from '@stowage/worker-host'
import { byId } from './dom.js'
import { formatMs } from './format.js'
import { createFrameMeter, plotGaps } from './frame-meter.js'
import {
  noise,
  prepareRounds,
  STRESS_BYTES,
  STRESS_ROUNDS,
  stressMainThread,
  stressWorker,
  type StressResult,
} from './stress.js'

type RunKind = 'transfer' | 'copy' | 'main-idb'
const LONG_FRAME_MS = 50

/**
 * The stress card: each button saves 16 MiB STRESS_ROUNDS times one way while the frame meter
 * watches the page; each run's row keeps its own frame-gap plot and worst gap.
 */
export function createStressPanel(client: Client) {
  const meter = createFrameMeter(byId<HTMLCanvasElement>('frame-plot'))
  const buttons = [...document.querySelectorAll<HTMLButtonElement>('button[data-run]')]
  let template: Uint8Array | undefined

  const work = (kind: RunKind, rounds: Uint8Array[], progress: (round: number) => void): Promise<StressResult> =>
    kind === 'main-idb'
      ? stressMainThread(rounds, progress)
      : stressWorker(client, rounds, kind === 'transfer', progress)

  async function run(kind: RunKind, button: HTMLButtonElement): Promise<void> {
    const row = byId(`result-${kind}`)
    const cell = (name: string) => row.querySelector<HTMLElement>(`.${name}`)!
    const label = button.textContent
    for (const each of buttons) each.disabled = true
    row.dataset.state = 'running'
    cell('worst').textContent = '…'
    try {
      button.textContent = 'Preparing…'
      template ??= noise(STRESS_BYTES)
      const rounds = await prepareRounds(template, kind === 'transfer')
      // Let the frame that paid for the preparation pass before the meter starts watching.
      await new Promise(requestAnimationFrame)
      const end = meter.begin(kind)
      const result = await work(
        kind,
        rounds,
        (round) => (button.textContent = `Saving ${round} of ${STRESS_ROUNDS}…`),
      ).finally(end)
      const frames = await end()
      const worst = Math.max(...frames.map((frame) => frame.gap))
      plotGaps(cell('spark') as HTMLCanvasElement, frames, frames[0]!.at - frames[0]!.gap, frames.at(-1)!.at, false)
      cell('worst').textContent = formatMs(worst)
      cell('long').textContent = String(frames.filter((frame) => frame.gap > LONG_FRAME_MS).length)
      cell('blocked').textContent = formatMs(result.blockedMs)
      cell('total').textContent = formatMs(result.totalMs)
      row.dataset.worstMs = worst.toFixed(1)
      row.dataset.blockedMs = result.blockedMs.toFixed(2)
      row.dataset.totalMs = result.totalMs.toFixed(0)
      row.dataset.state = 'done'
    } catch (error) {
      row.dataset.state = 'error'
      cell('worst').textContent = error instanceof Error ? error.message : String(error)
    } finally {
      button.textContent = label
      for (const each of buttons) each.disabled = false
    }
  }

  for (const button of buttons) button.addEventListener('click', () => void run(button.dataset.run as RunKind, button))
}
