// The worker script where OPFS can be read but not written (ES modules run in import order).
import './no-opfs-writes.ts'
import '../src/worker.ts'
