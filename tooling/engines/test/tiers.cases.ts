import { check, checkBytes, randomBytes } from '@stowage/core/conformance'
import { connect } from '@stowage/worker-host'

/** Starts the unfaked three-tier worker and answers what `info()` says, after a round trip through the tier it picked. */
export async function tierSelection(): Promise<{
  driver: string | null
  probes: { id: string; ok: boolean; reason?: string }[]
}> {
  const directory = `test-engines-${crypto.randomUUID()}`
  const database = `test-engines-${crypto.randomUUID()}`
  const url = new URL('./tiers.worker.ts', import.meta.url)
  url.searchParams.set('directory', directory)
  url.searchParams.set('database', database)
  const client = connect(new Worker(url, { type: 'module' }))
  try {
    const info = await client.info()
    const bytes = randomBytes(100_000)
    await client.save('tiered', bytes)
    checkBytes(await client.load('tiered'), bytes, `a round trip on ${info.driver}`)
    check(JSON.stringify(await client.list()) === '["tiered"]', 'list does not show the saved file')
    return { driver: info.driver, probes: info.probes }
  } finally {
    await client.close()
    // Private windows in Firefox refuse OPFS itself: then there is nothing to remove.
    await navigator.storage
      .getDirectory()
      .then((root) => root.removeEntry(directory, { recursive: true }))
      .catch(() => undefined)
    await new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(database)
      request.onsuccess = request.onerror = request.onblocked = resolve
    })
  }
}
