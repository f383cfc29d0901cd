import { describePages } from './pages-suite.ts'

describePages('firefox', 47815)
