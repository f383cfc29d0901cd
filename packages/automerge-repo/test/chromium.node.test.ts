import { useTabs } from './browser.ts'
import { acceptanceSuites, repoSuite, tabsSuite } from './suites.ts'

const tabs = useTabs('chromium', 47851, 2)
const first = () => tabs()[0]!

acceptanceSuites('chromium', first)
repoSuite(first)
tabsSuite(tabs)
