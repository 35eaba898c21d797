import { defineConfig } from 'vitest/config';

/**
 * The tests that need neither Chromium nor a child build: the inner loop
 * (`npm run test:quick`, well under a minute; the fuzzing and the
 * generator's statistics, slower, run in `npm test`). `npm test` runs every test.
 */
export const QUICK = [
  'test/build-stages.test.ts',
  'test/check.test.ts',
  'test/docs.test.ts',
  'test/errors.test.ts',
  'test/import.test.ts',
  'test/progress.test.ts',
  'test/render.test.ts',
  'test/schema.test.ts',
];

export default defineConfig({
  test: {
    include: process.env.IMR_TEST_QUICK ? QUICK : ['test/**/*.test.ts'],
    // Limits end a hung test; they never judge speed (that is `npm run bench`). Generous,
    // so a 2-core machine loaded by other work still passes: Chromium-driven tests
    // print real PDFs. A shared setup (`setup` in test/helpers.ts) has its own limit.
    testTimeout: 600_000,
    hookTimeout: 900_000,
    maxWorkers: 2,
    reporters: ['default', 'json'],
    outputFile: { json: '.cache/vitest-results.json' },
  },
});
