import { render } from 'ink-testing-library';
import { it } from 'vitest';
import { App } from '../../components/App.js';
import { createTheme } from '../../components/theme.js';
import { readImageArchive } from '../../src/archive/read-image-archive.js';
import { analyseImage } from '../../src/analysis/analyse.js';
import { demoArchive } from '../../src/sources/demo-image.js';
import { chunked } from '../helpers/archives.js';
import { readySession } from '../helpers/explorer.js';
import { writeFileSync } from 'node:fs';

it('prints', { timeout: 120000 }, async () => {
  const bytes = await demoArchive();
  const demo = analyseImage(await readImageArchive(chunked(bytes), { source: 'demo' }));
  for (const [c, r] of [[70, 16], [80, 24], [120, 40], [250, 60]] as const) {
    const app = render(<App session={readySession(demo, undefined, bytes)} exportReport={{ suggest: () => ({ path: 'r.md' }), write: async (p) => p }} theme={createTheme({ colour: false, unicode: true })} />);
    Object.defineProperty(app.stdout, 'columns', { value: c, configurable: true });
    Object.defineProperty(app.stdout, 'rows', { value: r, configurable: true });
    app.stdout.emit('resize');
    await new Promise((res) => setTimeout(res, 100));
    const keys = (process.env.KEYS ?? '').split(',').filter(Boolean);
    for (const k of keys) { app.stdin.write(k.replace('TAB', '\t').replace('ENTER', '\r').replace('DOWN', '\u001b[B')); await new Promise((res) => setTimeout(res, 60)); }
    writeFileSync(`/tmp/s16/${c}x${r}.txt`, app.lastFrame() ?? '');
    app.unmount();
  }
});
