/**
 * What a driver author writes. A driver talks to one storage API; everything else (ordering,
 * coalescing, validation, error normalization, cancellation) is added in front of it by
 * `createStore`. docs/custom-drivers.md spells out what each method must guarantee.
 */
export interface Driver {
  /** 'opfs-sync', 'opfs-async', 'idb', 'memory', or the author's own. */
  readonly id: string
  /** A real trial in this context; rejects UNSUPPORTED with the reason. */
  probe(): Promise<void>
  /** A fresh Uint8Array the caller owns; rejects NOT_FOUND when the file is absent. */
  load(file: string, options?: CallOptions): Promise<Uint8Array>
  /**
   * Replaces the whole content atomically: a crash leaves the old bytes or the new, never a mix.
   * With `durability: 'relaxed'` it may resolve before the bytes are flushed to disk.
   */
  save(file: string, data: Uint8Array, options?: DriverSaveOptions): Promise<void>
  /** Resolves when the file is gone, also when it never existed. */
  remove(file: string, options?: CallOptions): Promise<void>
  /** The app's files only, never the driver's internal ones. */
  list(options?: CallOptions): Promise<string[]>
  /** Releases every handle, connection and lock. */
  close(): Promise<void>
  /**
   * Optional: when `file` was last saved, in ms since the epoch (the wall clock of the context
   * that saved it), or undefined when it is absent or the time is unknown. Adoption
   * (`adoptFiles`) lets the copy saved last win where two drivers hold one name.
   */
  savedAt?(file: string, options?: CallOptions): Promise<number | undefined>
  /**
   * Optional: where the files live, such as `opfs:<directory>` or `idb:<database>/<store>`. Two
   * drivers of one place see one set of files, so adoption never moves files between them.
   */
  readonly place?: string
  /**
   * Optional: false where a save cannot be flushed to disk before it resolves, because the storage
   * API offers no flush (opfs-async: `createWritable().close()`) or there is no disk (memory).
   * Every save of such a driver is relaxed in effect. Absent means strict saves are flushed.
   */
  readonly flushes?: boolean
}

/** What every call takes. */
export interface CallOptions {
  /**
   * Ends the call's waits: its turn behind other calls on the file, and the file's lock. Aborted
   * before its I/O began, a call rejects ABORTED and changes nothing. Once its I/O has begun, it
   * finishes and settles with what really happened, so an abort never tears a file.
   *
   * A driver passes it to every wait it makes (`navigator.locks.request`) and rejects with
   * `signal.reason` when it fires there; it never stops I/O that has begun.
   */
  signal?: AbortSignal
}

/**
 * When a save resolves (IndexedDB's own words). 'strict': once its bytes are flushed to disk, so
 * it survives a power loss. 'relaxed': possibly before the flush, so it survives a tab or browser
 * crash but a power loss or OS crash may take it back to an older complete save. Both are atomic:
 * never torn, under any crash.
 */
export type Durability = 'strict' | 'relaxed'

/** What a driver's save takes. */
export interface DriverSaveOptions extends CallOptions {
  /**
   * 'relaxed' lets the save resolve before its flush, never at the cost of atomicity. Default
   * 'strict' (a Store's default is its own: see StoreOptions). A driver that cannot honour
   * 'relaxed' does strict.
   */
  durability?: Durability
}

export interface SaveOptions extends DriverSaveOptions {
  /**
   * Hand the buffer over instead of copying it: `data.buffer` is detached by the time `save`
   * returns. Without it, the bytes are copied when `save` is called, so later changes to them
   * are not stored.
   */
  transfer?: boolean
}

/** What an app uses. The worker-host client has the same shape. */
export interface Store {
  load(file: string, options?: CallOptions): Promise<Uint8Array>
  save(file: string, data: Uint8Array | ArrayBuffer, options?: SaveOptions): Promise<void>
  remove(file: string, options?: CallOptions): Promise<void>
  list(options?: CallOptions): Promise<string[]>
  close(): Promise<void>
}
