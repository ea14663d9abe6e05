// The benchmark generator's own tests (bench/ is outside the main suite's include):
//   npx vitest run --config bench/vitest.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: { include: ['bench/**/*.test.ts'], testTimeout: 120_000 },
});
