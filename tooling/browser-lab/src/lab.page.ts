import { exposeCases, hostCases } from '@stowage/browsers/page'
import type { LabEvent, LabRequest } from './protocol.js'

/** A save loop runs until its browser is killed: no answer comes sooner. */
const HOUR = 3_600_000

/**
 * The lab page: starts the dedicated worker, and offers its cases to the test. The worker's save
 * waits after each `started` until the page says `go`, which it says once the test recorded it.
 */
const worker = hostCases(new Worker('./worker.js', { type: 'module' }), async (event) => {
  const reported = globalThis.stowageReport?.(event)
  const { event: kind, seq } = event as LabEvent
  if (kind !== 'started') return
  await reported
  await worker.call('go', [seq])
})
const ops: LabRequest['op'][] = ['save', 'load', 'loop', 'contend', 'inspect', 'seed', 'adopt', 'survey']
exposeCases(Object.fromEntries(ops.map((op) => [op, (request: LabRequest) => worker.call(op, [request], HOUR)])))
