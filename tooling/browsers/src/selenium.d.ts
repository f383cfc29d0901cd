// selenium-webdriver ships no types; these are the few parts the WebKit launcher uses.
declare module 'selenium-webdriver' {
  export class Capabilities {
    setBrowserName(name: string): Capabilities
    set(key: string, value: unknown): Capabilities
  }
  export interface WebDriver {
    get(url: string): Promise<void>
    getWindowHandle(): Promise<string>
    executeAsyncScript<T>(script: string, ...args: unknown[]): Promise<T>
    manage(): { setTimeouts(timeouts: { script?: number; pageLoad?: number; implicit?: number }): Promise<void> }
    switchTo(): { newWindow(type: 'tab' | 'window'): Promise<void>; window(handle: string): Promise<void> }
    close(): Promise<void>
    quit(): Promise<void>
  }
  export class Builder {
    usingServer(url: string): Builder
    withCapabilities(capabilities: Capabilities): Builder
    build(): WebDriver
  }
}
