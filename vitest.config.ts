import { defineConfig } from 'vitest/config';

// Three projects: `unit` needs nothing but Node; `engine` needs a Docker Engine with the fixture
// images built (scripts/test.sh provides both, and CI requires them); `package` packs the npm
// package and installs it globally into a temporary prefix, as a user would (npm and the
// registry's packages, from npm's cache where it has them).
export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-build.ts'],
    projects: [
      { test: { name: 'unit', include: ['test/**/*.test.{ts,tsx}'], exclude: ['test/engine/**', 'test/package/**'] } },
      { test: { name: 'package', include: ['test/package/**/*.test.ts'], testTimeout: 600_000, hookTimeout: 600_000 } },
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
