import { describe, expect, it } from 'vitest'
import { defineDriver } from '../src/driver-kit.ts'
import { StorageError } from '../src/index.ts'

const methods = {
  load: async () => new Uint8Array(0),
  save: async () => {},
  remove: async () => {},
  list: async () => [],
}

describe('defineDriver', () => {
  it('makes whatever the probe throws UNSUPPORTED, naming the driver, with the reason and cause', async () => {
    const denied = new DOMException('storage is blocked', 'SecurityError')
    const driver = defineDriver('mine', {
      ...methods,
      probe: async () => {
        throw denied
      },
    })
    await expect(driver.probe()).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      driver: 'mine',
      message: 'SecurityError: storage is blocked',
      cause: denied,
    })
  })

  it('leaves the other methods as written: the store types their errors', async () => {
    const thrown = new DOMException('gone', 'NotFoundError')
    const driver = defineDriver('mine', {
      ...methods,
      probe: async () => {},
      load: async () => {
        throw thrown
      },
    })
    await expect(driver.load('f')).rejects.toBe(thrown)
    expect(driver.id).toBe('mine')
    await expect(driver.close()).resolves.toBeUndefined()
  })

  it('keeps a StorageError the probe threw as the reason, as UNSUPPORTED', async () => {
    const driver = defineDriver('mine', {
      ...methods,
      probe: async () => {
        throw new StorageError('IO', 'f: write stopped')
      },
    })
    await expect(driver.probe()).rejects.toMatchObject({ code: 'UNSUPPORTED', message: 'f: write stopped' })
  })
})
