import { defineConfig } from 'vite'

export default defineConfig({
  // The storage worker imports the drivers as ES modules; keep it one.
  worker: { format: 'es' },
  build: { target: 'es2022' },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
})
