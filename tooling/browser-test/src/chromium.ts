/** Where every test and tool finds Chromium: $CHROMIUM_PATH, else Debian's. Playwright never downloads one. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Without these, Chromium keeps dialling hosts that a closed network refuses. */
export const chromiumArgs = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
  '--disable-quic',
  '--no-sandbox',
]
