// Vitest global setup: build once as `npm run build` does (compile, then bundle the engine client and the views
// as the published package carries it), so tests that run bin/layerscope.js run what users run;
// and point the layer cache (on by default) at a temporary XDG_CACHE_HOME, removed at the end,
// so no test writes to the real home. Test workers and the executables they start inherit it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/bundle.mjs'], { stdio: 'inherit' });
  const cacheHome = mkdtempSync(join(tmpdir(), 'layerscope-test-cache-'));
  process.env.XDG_CACHE_HOME = cacheHome;
  return () => rmSync(cacheHome, { recursive: true, force: true });
}
