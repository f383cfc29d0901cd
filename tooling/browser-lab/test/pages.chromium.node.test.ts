import { describePages } from './pages-suite.ts'

describePages('chromium', 47813)
