import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node; `engine` needs a Docker Engine with the fixture
// images built (scripts/test.sh provides both, and CI requires them).
export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-build.ts'],
    projects: [
      { test: { name: 'unit', include: ['test/**/*.test.{ts,tsx}'], exclude: ['test/engine/**'] } },
      {
        test: {
          name: 'engine',
          include: ['test/engine/**/*.test.{ts,tsx}'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
