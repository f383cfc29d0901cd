import type { CaseOutcome } from './outcome.js'

export type Engine = 'chromium' | 'firefox' | 'webkit'

export const engines: Engine[] = ['chromium', 'firefox', 'webkit']

/** One served test page in some engine. */
export interface EnginePage {
  /** Runs the named case of the page (see `exposeCases`) and resolves with its outcome. */
  run(name: string, args: unknown[]): Promise<CaseOutcome>
  close(): Promise<void>
}

/** A browser on a profile folder on disk: a launch on the same folder finds its data again. */
export interface EngineBrowser {
  engine: Engine
  /** Opens `url` in a new tab (the first call may reuse the tab the browser started with). */
  open(url: string): Promise<EnginePage>
  /** A normal quit; whatever is still running afterwards is killed. Idempotent. */
  close(): Promise<void>
  /** SIGKILLs every process of the browser (and of its helpers). Idempotent. */
  kill(): Promise<void>
}

export interface LaunchOptions {
  /**
   * A private window, where storage stays in memory or is dropped when the browser quits:
   * Chromium's off-the-record context (incognito), Firefox's private browsing. Not on WebKitGTK.
   */
  private?: boolean
}

/** Starts `engine` on the profile folder `profile`. */
export async function launch(engine: Engine, profile: string, options: LaunchOptions = {}): Promise<EngineBrowser> {
  switch (engine) {
    case 'chromium':
      return (await import('./chromium.js')).launchChromium(profile, options)
    case 'firefox':
      return (await import('./firefox.js')).launchFirefox(profile, options)
    case 'webkit':
      if (options.private) throw new Error('No private mode for WebKitGTK here')
      return (await import('./webkit.js')).launchWebKit(profile)
  }
}
