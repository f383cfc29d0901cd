// The worker script in a context where neither tier can work (ES modules run in import order).
import './cripple.ts'
import '../src/worker.ts'
