// Vitest global setup: build once as `npm run build` does (compile, then bundle the engine client
// as the published package carries it), so tests that run bin/layerscope.js run what users run.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/bundle-engine-client.mjs'], { stdio: 'inherit' });
}
