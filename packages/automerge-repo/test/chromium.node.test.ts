import { useBrowser } from './browser.ts'
import { acceptanceSuites, migrationSuite, repoSuite, scaleSuite, tabsSuite } from './suites.ts'

const { tabs } = useBrowser('chromium', 47851, 2)
const first = () => tabs()[0]!

acceptanceSuites('chromium', first)
repoSuite(first)
tabsSuite(tabs)
migrationSuite(first, 'opfs-sync')
scaleSuite('chromium', first, 'opfs-sync', 200, 10)
