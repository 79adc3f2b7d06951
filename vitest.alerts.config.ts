import { defineConfig } from 'vitest/config';

/**
 * `npm run test:alerts`: promtool checks and unit-tests the alert rules and the
 * dashboard's PromQL. Apart from `npm test` because promtool is not Node: it
 * comes with Debian's `prometheus` package, which .ci/run installs.
 */
export default defineConfig({
  test: {
    include: ['tests/alerts/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
