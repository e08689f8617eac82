import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds nothing: provides the folder where test files share template repositories (helpers/repo.ts copyOf).
    globalSetup: ['test/helpers/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests spawn git and node; two workers match the 2-core CI machine.
    maxWorkers: 2,
  },
});
