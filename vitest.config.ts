import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { describeLeftOut, filesMissingBinaries } from './tests/helpers/required-binaries.js';

const root = fileURLToPath(new URL('.', import.meta.url));
// Files that start redis-server or PostgreSQL of their own, on a machine without them: left out, loudly.
const leftOut = filesMissingBinaries(fileURLToPath(new URL('./tests/', import.meta.url)));
if (leftOut.length > 0) {
  console.warn(`\n${describeLeftOut(leftOut, root)}\n`);
  process.env.ARYA_TESTS_LEFT_OUT = describeLeftOut(leftOut, root);
}

export default defineConfig({
  resolve: {
    // Apollo Server and type-graphql load graphql's CommonJS build; without this
    // alias vitest would load the ESM build beside it ("another module or realm").
    alias: { graphql: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)) },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    // promtool's checks need Debian's prometheus package: `npm run test:alerts` (vitest.alerts.config.ts).
    exclude: ['tests/alerts/**', '**/node_modules/**', ...leftOut.map(({ file }) => path.relative(root, file))],
    globalSetup: ['tests/helpers/global-setup.ts'],
    setupFiles: ['tests/helpers/setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
