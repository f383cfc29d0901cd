import { serveCases } from '@stowage/browsers/worker'
import { bigRoundTrip, rawPut } from '../../../packages/driver-idb/test/big.ts'

serveCases({
  /** `size` random bytes through the idb driver with its default chunks, and back; answers the times. */
  'round trip': (size: number) => bigRoundTrip(size),
  /** One IndexedDB value of `size` bytes, as idb stored every file before chunks: 'stored' or the error. */
  'raw put': (size: number) => rawPut(size),
  /** Whether this window may use OPFS: 'available', or the error (Firefox refuses it in private windows). */
  opfs: () =>
    navigator.storage.getDirectory().then(
      () => 'available',
      (error: Error) => `${error.name}: ${error.message}`,
    ),
})
