import type { Link } from './link.js'
import type { LabEvent, LabRequest, Replies } from './protocol.js'

/** The lab page in some browser, as the trials see it: the same for every browser and automation. */
export interface LabPage {
  call<Op extends LabRequest['op']>(request: LabRequest & { op: Op }): Promise<Replies[Op]>
  close(): Promise<void>
}

/** A browser the trials own: they can crash it or quit it, and open lab pages in its one profile. */
export interface LabBrowser {
  /** Opens a lab page (the first call gets the tab opened at launch). A save of the worker's loop waits until `onEvent` returned for its `started`. */
  openLab(onEvent?: (event: LabEvent) => void): Promise<LabPage>
  /** The crash: every process of the browser SIGKILLed at one moment; resolves when all are gone. Idempotent. */
  kill(): Promise<void>
  /** A normal shutdown, as when the user quits; resolves when every process has exited. */
  close(): Promise<void>
}

/** Where the lab is served: its origin, and the channel for pages that no automation drives. */
export interface LabSite {
  origin: string
  link: Link
}

/**
 * Starts a browser on a profile folder on disk, its first tab on the lab at `site`; a launch on
 * the same folder must find its data again.
 */
export type Launch = (profile: string, site: LabSite) => Promise<LabBrowser>
