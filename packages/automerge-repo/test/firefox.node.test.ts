import { useBrowser } from './browser.ts'
import { acceptanceSuites, migrationSuite, repoSuite, tabsSuite } from './suites.ts'

const { tabs } = useBrowser('firefox', 47852, 2)
const first = () => tabs()[0]!

acceptanceSuites('firefox', first)
repoSuite(first)
tabsSuite(tabs)
migrationSuite(first, 'opfs-sync')
