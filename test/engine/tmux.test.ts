// End to end on a real terminal: the real executable in tmux on an engine image. A person's
// path through it — find the largest waste, see its layer, filter the tree to it, export the
// report, quit — using only the keys the screen shows, then the terminal must be restored.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { BIN } from '../helpers/run-bin.js';
import { fixtureImage, requireEngine } from './engine.js';

const SOCKET = `layerscope-e2e-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
let session = 'e2e';
const screen = (): string => tmux('capture-pane', '-p', '-t', session);
const keys = (...names: string[]): void => void tmux('send-keys', '-t', session, ...names);
/** The pane's terminal modes: alternate screen, mouse reporting (SGR), cursor shown. */
const modes = (): string => tmux('display-message', '-p', '-t', session, 'alt=#{alternate_on} mouse=#{mouse_sgr_flag} cursor=#{cursor_flag}').trim();

async function screenWhere(accept: (text: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen();
    if (accept(text)) return text;
    if (Date.now() > deadline) throw new Error(`the screen never matched; it shows:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const workdir = mkdtempSync(join(tmpdir(), 'layerscope-tmux-'));

beforeAll(async () => {
  await requireEngine();
  // CI=true as CI services set it: Ink would then draw nothing until exit; the explorer must not.
  const command = `cd ${workdir} && printf 'SHELL-BEFORE\\n' && CI=true ${process.execPath} ${BIN} ${fixtureImage('c-single-stage')}; echo LAYERSCOPE-EXITED=$?; sleep 600`;
  tmux('new-session', '-d', '-s', 'e2e', '-x', '120', '-y', '36', command);
});

afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // already gone
  }
});

describe('the explorer in a real terminal', () => {
  it('finds the largest waste, shows its layer, filters to it, exports the report, and quits cleanly', async () => {
    // The first screen: layers at once, findings when the image is read.
    let text = await screenWhere((t) => t.includes('Findings (') && t.includes('Tab pane'));
    expect(text).toContain('RUN apt-get update && apt');
    expect(text).toMatch(/\? help/);
    expect(modes()).toBe('alt=1 mouse=1 cursor=0');

    // The findings list, largest first; Enter jumps to the layer and path.
    keys('Tab', 'Tab');
    text = await screenWhere((t) => t.includes('» Findings'));
    expect(text).toMatch(/› +\d+(\.\d)? MB L1 +Downloaded \.deb packages/);
    keys('Enter');
    text = await screenWhere((t) => t.includes('» Layer 1 files') && t.includes('▾ apt'));
    expect(text).toMatch(/RUN apt-get update && apt-get install/);
    // The cursor is on the finding's largest file, in an opened /var/cache/apt.
    expect(text).toMatch(/› \+ +(pkgcache|srcpkgcache)\.bin +! +\d/);

    // Filter the tree to it.
    keys('/', 'a', 'r', 'c', 'h', 'i', 'v', 'e', 's', 'Enter');
    text = await screenWhere((t) => t.includes('filter "archives"'));
    expect(text).toMatch(/\.deb/);
    expect(text).not.toMatch(/▸ usr\b/);

    // Export the report, and say where it went.
    keys('e');
    text = await screenWhere((t) => t.includes('report written to'));
    const reports = readdirSync(workdir).filter((name) => name.endsWith('.md'));
    expect(reports).toEqual(['layerscope-report-layerscope-fixture_c-single-stage_latest.md']);
    expect(readFileSync(join(workdir, reports[0] ?? ''), 'utf8')).toMatch(/^# layerscope: layerscope-fixture\/c-single-stage:latest/);

    // Quit: the shell's screen comes back as it was, and the exit code is 0.
    keys('q');
    text = await screenWhere((t) => t.includes('LAYERSCOPE-EXITED='));
    expect(text).toContain('LAYERSCOPE-EXITED=0');
    expect(modes()).toBe('alt=0 mouse=0 cursor=1');
    expect(text).toContain('SHELL-BEFORE');
    expect(text).not.toContain('Findings (');
    expect(existsSync(workdir)).toBe(true);
  });
});

describe('layerscope build in a real terminal', () => {
  it('builds the stages, opens the explorer on the final one, and shows the comparison with c', async () => {
    session = 'e2e-build';
    const dir = fileURLToPath(new URL('./build-fixtures/c-multistage/', import.meta.url));
    const command = `${process.execPath} ${BIN} build -f ${dir}Dockerfile.multi --network host -t layerscope-fixture/c-multistage-tmux:latest ${dir}; echo LAYERSCOPE-EXITED=$?; sleep 600`;
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '36', command);
    await screenWhere((t) => t.includes('Tab pane'));
    keys('c');
    const text = await screenWhere((t) => t.includes('Carried over:') && t.includes('Left behind'));
    expect(text).toMatch(/Final is 0\.\d % of the builder/);
    expect(text).toMatch(/\/usr\/local\/bin\/hello {2}← \/out\/hello/);
    expect(text).toMatch(/toolchains \(\d+\)/);
    expect(text).toContain('Still in the final image: nothing flagged');
    keys('q');
    expect(await screenWhere((t) => t.includes('LAYERSCOPE-EXITED='))).toContain('LAYERSCOPE-EXITED=0');
  });
});

describe('the explorer on an image that is not there', () => {
  it('leaves the screen as it was and says what to do, exit 2', async () => {
    session = 'e2e-missing';
    tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '20', `printf 'SHELL-BEFORE\\n'; ${process.execPath} ${BIN} layerscope-fixture/not-built:latest; echo LAYERSCOPE-EXITED=$?; sleep 600`);
    const text = await screenWhere((t) => t.includes('LAYERSCOPE-EXITED='));
    expect(text).toMatch(/SHELL-BEFORE\nlayerscope: image layerscope-fixture\/not-built:latest not found in the engine at .*\nhint: pull it first/);
    expect(text).toContain('LAYERSCOPE-EXITED=2');
    expect(modes()).toBe('alt=0 mouse=0 cursor=1');
  });
});
