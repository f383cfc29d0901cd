import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { crashTrial, type CrashReport } from '../src/crash.ts'
import type { Lab } from '../src/lab.ts'
import { drivers } from './drivers.ts'
import { chromiumLab } from './lab.ts'

const KILLS = Number(process.env.STOWAGE_CRASH_KILLS ?? 50)
const NAIVE_CAP = 80

let lab: Lab
beforeAll(async () => {
  lab = await chromiumLab(47811)
})
afterAll(() => lab?.dispose())

function describeReport(report: CrashReport): string {
  const { driver, kills, survived, inFlightWon, previousWon, between, caught, ms } = report
  const lines = [
    `${driver}: ${kills} kills, ${survived} survived (in-flight save won ${inFlightWon}, previous save won ${previousWon}, between saves ${between}), ${(ms / 1000).toFixed(1)} s`,
    ...caught.map(({ kill, problem, detail, acked, started }) => `  kill ${kill}: ${problem} (${detail}); last acked ${acked}, last started ${started}`),
  ]
  return lines.join('\n')
}

describe('the browser SIGKILLed in the middle of saves', () => {
  it(`catches a naive truncate-then-write driver tearing its file within ${NAIVE_CAP} kills`, async () => {
    const report = await crashTrial(lab, { driver: 'naive', kills: NAIVE_CAP, untilCaught: true })
    console.log(describeReport(report))
    expect(report.caught).toHaveLength(1)
    expect(['EMPTY', 'SHORT']).toContain(report.caught[0]!.problem)
  })

  for (const driver of Object.keys(drivers)) {
    it(`${driver}: after each of ${KILLS} kills the file holds the last acknowledged save or the one in flight`, async () => {
      const report = await crashTrial(lab, { driver, kills: KILLS })
      console.log(describeReport(report))
      expect(report.caught).toEqual([])
      expect(report.kills).toBe(KILLS)
      expect(report.survived).toBe(KILLS)
    })
  }
})
