// End to end on a real terminal: the real executable in tmux on an engine image. A person's
// path through it — find the largest waste, see its layer, filter the tree to it, export the
// report, quit — using only the keys the screen shows, then the terminal must be restored.
// Each step waits for what it needs on screen (the image fully read before choosing a finding),
// so a slow machine makes it slower, never flaky.

import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { BIN } from '../helpers/run-bin.js';
import { fixtureImage, requireEngine } from './engine.js';
import { tmuxServer } from './tmux.js';

const server = tmuxServer(`layerscope-e2e-${process.pid}`);
const workdir = mkdtempSync(join(tmpdir(), 'layerscope-tmux-'));
const UTF8 = 'LANG=C.UTF-8 LC_ALL= TERM=xterm-256color';

beforeAll(async () => {
  await requireEngine();
});

afterAll(() => server.close());

describe('the explorer in a real terminal', () => {
  it('finds the largest waste, shows its layer, filters to it, exports the report, and quits cleanly', { timeout: 300_000 }, async () => {
    // CI=true as CI services set it: Ink would then draw nothing until exit; the explorer must not.
    const command = `cd ${workdir} && printf 'SHELL-BEFORE\\n' && ${UTF8} CI=true ${process.execPath} ${BIN} ${fixtureImage('c-single-stage')}; echo LAYERSCOPE-EXITED=$?; sleep 600`;
    const term = server.open('e2e', 120, 36, command);
    // The first screen: layers at once; the findings once the whole image is read (they come with the analysis).
    let text = await term.screenWhere((t) => t.includes('Findings (') && t.includes('? help'), 240_000);
    expect(text).toContain('RUN apt-get update && apt');
    expect(text).toMatch(/\? help/);
    expect(term.modes()).toBe('alt=1 mouse=1 cursor=0');

    // The findings list, largest first; Enter jumps to the layer and path.
    term.keys('Tab', 'Tab');
    text = await term.screenWhere((t) => t.includes('» Findings'));
    expect(text).toMatch(/› +\d+(\.\d+)? MB L1 +Downloaded \.deb packages/);
    term.keys('Enter');
    // The cursor lands on the finding's largest file, in an opened /var/cache/apt.
    text = await term.screenWhere((t) => t.includes('» Layer 1 files') && /› \+ +(pkgcache|srcpkgcache)\.bin +! +\d/.test(t));
    expect(text).toMatch(/RUN apt-get update && apt-get install/);
    expect(text).toContain('▾ apt');

    // Filter the tree to it.
    term.keys('/', 'a', 'r', 'c', 'h', 'i', 'v', 'e', 's', 'Enter');
    text = await term.screenWhere((t) => t.includes('filter "archives"'));
    expect(text).toMatch(/\.deb/);
    expect(text).not.toMatch(/▸ usr\b/);

    // Export the report: the prompt offers the default path; Enter writes it and says where.
    term.keys('e');
    await term.screenWhere((t) => t.includes('write the report to: layerscope-report-'));
    term.keys('Enter');
    text = await term.screenWhere((t) => t.includes('report written to'));
    const reports = readdirSync(workdir).filter((name) => name.endsWith('.md'));
    expect(reports).toEqual(['layerscope-report-layerscope-fixture_c-single-stage_latest.md']);
    expect(readFileSync(join(workdir, reports[0] ?? ''), 'utf8')).toMatch(/^# layerscope: layerscope-fixture\/c-single-stage:latest/);

    // Quit: the shell's screen comes back as it was, and the exit code is 0.
    term.keys('q');
    text = await term.screenWhere((t) => t.includes('LAYERSCOPE-EXITED='));
    expect(text).toContain('LAYERSCOPE-EXITED=0');
    expect(term.modes()).toBe('alt=0 mouse=0 cursor=1');
    expect(text).toContain('SHELL-BEFORE');
    expect(text).not.toContain('Findings (');
    expect(existsSync(workdir)).toBe(true);
  });
});

describe('layerscope build in a real terminal', () => {
  it('builds the stages, opens the explorer on the final one, and shows the comparison with c', async () => {
    const dir = fileURLToPath(new URL('./build-fixtures/c-multistage/', import.meta.url));
    const command = `${UTF8} ${process.execPath} ${BIN} build -f ${dir}Dockerfile.multi --network host -t layerscope-fixture/c-multistage-tmux:latest ${dir}; echo LAYERSCOPE-EXITED=$?; sleep 600`;
    const term = server.open('e2e-build', 120, 36, command);
    await term.screenWhere((t) => t.includes('Tab pane'));
    term.keys('c');
    const text = await term.screenWhere((t) => t.includes('Carried over') && t.includes('Left behind'));
    expect(text).toMatch(/Final is 0\.\d % of the largest source stage/);
    expect(text).toMatch(/\/usr\/local\/bin\/hello {2}← build:\/out\/hello/);
    expect(text).toMatch(/toolchains \(\d+\)/);
    expect(text).toContain('Still in the final image: nothing flagged');
    term.keys('q');
    expect(await term.screenWhere((t) => t.includes('LAYERSCOPE-EXITED='))).toContain('LAYERSCOPE-EXITED=0');
  });
});

describe('the explorer on an image that is not there', () => {
  it('leaves the screen as it was and says what to do, exit 2', async () => {
    const term = server.open('e2e-missing', 200, 20, `printf 'SHELL-BEFORE\\n'; ${process.execPath} ${BIN} layerscope-fixture/not-built:latest; echo LAYERSCOPE-EXITED=$?; sleep 600`);
    const text = await term.screenWhere((t) => t.includes('LAYERSCOPE-EXITED='));
    expect(text).toMatch(/SHELL-BEFORE\nlayerscope: image layerscope-fixture\/not-built:latest not found in the engine at .*\nhint: pull it first/);
    expect(text).toContain('LAYERSCOPE-EXITED=2');
    expect(term.modes()).toBe('alt=0 mouse=0 cursor=1');
  });

  it('says at start when the --builder image is not there, exit 2', async () => {
    const command = `${process.execPath} ${BIN} ${fixtureImage('c-single-stage')} --builder layerscope-fixture/no-such-builder:latest; echo LAYERSCOPE-EXITED=$?; sleep 600`;
    const term = server.open('e2e-builder', 200, 20, command);
    const text = await term.screenWhere((t) => t.includes('LAYERSCOPE-EXITED='));
    expect(text).toMatch(/layerscope: image layerscope-fixture\/no-such-builder:latest not found/);
    expect(text).toContain('LAYERSCOPE-EXITED=2');
    expect(term.modes()).toBe('alt=0 mouse=0 cursor=1');
  });
});
