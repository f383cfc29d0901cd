/** One animation frame: when it began and how long the page went without one before it. */
export interface FrameSample {
  at: number
  gap: number
  run?: string
}

const WINDOW_MS = 8000
/** The plot's vertical range; taller gaps are cut off (the run's row gives the number). */
const SCALE_MS = 120
const RUN_COLORS: Record<string, string> = { transfer: '#0f8a7e', copy: '#c28a12', 'main-idb': '#d4573f' }
const IDLE_COLOR = '#b8c2cf'

/**
 * A live frame-gap meter: requestAnimationFrame deltas, plotted as bars as wide as the time they
 * span, so a stalled page shows as a tall, wide block. Runs are marked so their worst gap can be read.
 */
export function createFrameMeter(canvas: HTMLCanvasElement) {
  const samples: FrameSample[] = []
  let run: { kind: string; start: number; end?: number; frames: FrameSample[] } | undefined
  let last: number | undefined

  function tick(): void {
    // The callback's own time, not the frame's timestamp: a frame that waited on a busy main thread
    // keeps its scheduled time, which would hide part of the stall.
    const now = performance.now()
    if (last !== undefined) {
      const gap = now - last
      // A frame belongs to the run if any of the time it spans overlaps the run.
      const owner = run && now >= run.start && (run.end === undefined || now - gap <= run.end) ? run : undefined
      const sample = { at: now, gap, run: owner?.kind }
      samples.push(sample)
      owner?.frames.push(sample)
      while (samples[0] && samples[0].at < now - WINDOW_MS) samples.shift()
      plotGaps(canvas, samples, now - WINDOW_MS, now)
    }
    last = now
    requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)

  const nextFrame = () => new Promise(requestAnimationFrame)

  return {
    /** Marks the start of a run; the returned function ends it (once, however often called) and gives its frames. */
    begin(kind: string): () => Promise<FrameSample[]> {
      const current: NonNullable<typeof run> = { kind, start: performance.now(), frames: [] }
      run = current
      let ending: Promise<FrameSample[]> | undefined
      const finish = async () => {
        current.end = performance.now()
        // The frame that spans the end of the run is drawn after it: wait for it.
        await nextFrame()
        await nextFrame()
        if (run === current) run = undefined
        return current.frames
      }
      return () => (ending ??= finish())
    },
  }
}

/** Draws frame gaps between times `from` and `to` into `canvas`, sized to its CSS box. */
export function plotGaps(
  canvas: HTMLCanvasElement,
  samples: FrameSample[],
  from: number,
  to: number,
  labels = true,
): void {
  const ratio = window.devicePixelRatio || 1
  const width = canvas.clientWidth
  const height = canvas.clientHeight
  if (!width || !height) return
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio)
    canvas.height = Math.round(height * ratio)
  }
  const context = canvas.getContext('2d')
  if (!context) return
  context.setTransform(ratio, 0, 0, ratio, 0, 0)
  context.clearRect(0, 0, width, height)
  const x = (time: number) => ((time - from) / (to - from)) * width
  const y = (ms: number) => height - (Math.min(ms, SCALE_MS) / SCALE_MS) * (height - 4)

  const grid = [
    [1000 / 60, '60 fps'],
    [50, '50 ms'],
    [100, '100 ms'],
  ] as const
  for (const [ms] of grid) {
    context.strokeStyle = ms === 50 ? '#e8b9ae' : '#e3e7ed'
    context.setLineDash([3, 3])
    context.beginPath()
    context.moveTo(0, Math.round(y(ms)) + 0.5)
    context.lineTo(width, Math.round(y(ms)) + 0.5)
    context.stroke()
  }
  context.setLineDash([])

  for (const sample of samples) {
    if (sample.at < from) continue
    const left = x(sample.at - sample.gap)
    const right = x(sample.at)
    context.fillStyle = sample.run ? (RUN_COLORS[sample.run] ?? IDLE_COLOR) : IDLE_COLOR
    context.fillRect(left, y(sample.gap), Math.max(1, right - left - 0.5), height - y(sample.gap))
  }
  if (!labels) return

  // Labels go on top of the bars, on a light backing, so a stall never hides the scale.
  context.font = '10px system-ui, sans-serif'
  context.textBaseline = 'middle'
  const backed = (text: string, left: number, middle: number) => {
    context.fillStyle = 'rgb(251 252 253 / 85%)'
    context.fillRect(left - 4, middle - 7, context.measureText(text).width + 8, 14)
    context.fillStyle = '#6b7585'
    context.fillText(text, left, middle)
  }
  for (const [ms, label] of grid) backed(label, 6, y(ms))
  const note = `bars above ${SCALE_MS} ms are cut off`
  backed(note, width - context.measureText(note).width - 6, 9)
}
