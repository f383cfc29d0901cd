import { describe, expect, it } from 'vitest'
import { itCatchesPlanted, itHoldsRelaxed, itHoldsStrict, powerLab, sized } from './power-suite.ts'

const trial = powerLab('firefox', 47881)

describe('Firefox: the disk states a power cut could leave, each booted and loaded', () => {
  itCatchesPlanted(trial, { naive: 40, 'unflushed-data': 60, 'unflushed-relaxed': 60 })
  itHoldsStrict(trial, 'opfs-sync', sized(4, 12))
  itHoldsStrict(trial, 'idb', sized(4, 8))
  itHoldsRelaxed(trial, sized(12, 20))

  it('opfs-async, relaxed: Firefox fsyncs its OPFS metadata, never the file’s bytes; what a cut does is counted', async () => {
    const size = sized(3, 4)
    const report = await trial({ driver: 'opfs-async', rule: 'relaxed', ...size })
    const opfs = report.syncedFiles.filter((path) => path.includes('/fs/'))
    expect(opfs.filter((path) => !/\/fs\/metadata\.sqlite(-journal)?$/.test(path))).toEqual([])
    expect(opfs.length).toBeGreaterThan(0)
    expect(report.checkedDisks).toBe(Math.min(report.disks, size.maxDisks))
  })
})
