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

/** Starts `engine` on the profile folder `profile`. */
export async function launch(engine: Engine, profile: string): Promise<EngineBrowser> {
  switch (engine) {
    case 'chromium':
      return (await import('./chromium.js')).launchChromium(profile)
    case 'firefox':
      return (await import('./firefox.js')).launchFirefox(profile)
    case 'webkit':
      return (await import('./webkit.js')).launchWebKit(profile)
  }
}
