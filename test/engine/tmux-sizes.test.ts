// The explorer at the smallest advertised sizes, in a real terminal on an engine image: every
// screen fits exactly, and each thing the explorer promises holds at 70×16 and at 80×24. Plus a
// monochrome, non-UTF-8 terminal. The three run side by side; each waits only for what it needs.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-bin.js';
import { fixtureImage, requireEngine } from './engine.js';
import { tmuxServer, type Terminal } from './tmux.js';

const server = tmuxServer(`layerscope-sizes-${process.pid}`);
const IMAGE = fixtureImage('c-single-stage');
const REPORT = '/tmp/layerscope-report-layerscope-fixture_c-single-stage_latest.md';
const terminals = new Map<string, Terminal>();
const READY = (t: string): boolean => t.includes('Findings (');

/** The explorer in /proc (where no file can be written), in a pane of this size and environment. */
const start = (name: string, columns: number, rows: number, env: string): Terminal =>
  server.open(name, columns, rows, `cd /proc && ${env} ${process.execPath} ${BIN} ${IMAGE}; echo LAYERSCOPE-EXITED=$?; sleep 600`);

beforeAll(async () => {
  await requireEngine();
  rmSync(REPORT, { force: true });
  terminals.set('70x16', start('s70', 70, 16, 'LANG=C.UTF-8 LC_ALL= TERM=xterm-256color'));
  terminals.set('80x24', start('s80', 80, 24, 'LANG=C.UTF-8 LC_ALL= TERM=xterm-256color'));
  terminals.set('mono', start('mono', 80, 24, 'LANG=C LC_ALL= TERM=xterm-mono'));
});

afterAll(() => {
  server.close();
  rmSync(REPORT, { force: true });
});

/** Every row of the pane: exactly `rows`, none wider than `columns`, the header on the first, hints or a message on the last. */
function expectFits(text: string, columns: number, rows: number): void {
  const lines = text.replace(/\n$/, '').split('\n');
  expect(lines, text).toHaveLength(rows);
  for (const line of lines) expect(stringWidth(line), text).toBeLessThanOrEqual(columns);
}

/** The left pane's text as one line (wrapped words joined again): each row up to where the tree's title starts on the first. */
function leftPane(text: string): string {
  const lines = text.split('\n');
  const treeAt = (lines[0] ?? '').indexOf('Layer 0 files') - 2;
  expect(treeAt, text).toBeGreaterThan(20);
  return lines.map((line) => line.slice(0, treeAt).trim()).join(' ');
}

describe.each([
  ['70x16', 70, 16],
  ['80x24', 80, 24],
])('the explorer at %s in tmux', (name, columns, rows) => {
  it('fits every screen and keeps each promise of the explorer', { timeout: 300_000 }, async () => {
    const term = terminals.get(name) as Terminal;
    let shots = 0;
    const step = async (keys: string[], accept: (t: string) => boolean): Promise<string> => {
      term.keys(...keys);
      const text = await term.screenWhere(accept);
      expectFits(text, columns, rows);
      expect(text.split('\n')[0]).toMatch(/Layers|Help/);
      // CAPTURE_DIR=dir keeps each screen, to show what the test saw.
      if (process.env.CAPTURE_DIR) writeFileSync(join(process.env.CAPTURE_DIR, `${name}-${String(++shots).padStart(2, '0')}.txt`), text);
      return text;
    };
    let text = await term.screenWhere(READY, 240_000);
    expectFits(text, columns, rows);
    // The headline in the Markdown report's words, the base layers' flagged bytes beside it.
    expect(leftPane(text)).toMatch(/Removable by editing your Dockerfile [\d.]+ MB \(flagged files in the base layers [\d.]+ MB\)/);

    // The layer cursor stays on screen to the last layer, with the header above it.
    text = await step(['G'], (t) => /› +7 /.test(t) && t.includes('Layer 7  sha256'));
    text = await step(['k', 'k', 'k', 'k', 'k'], (t) => t.includes('Layer 2  sha256'));
    // COPY dir:<hash> keeps its destination.
    expect(text).toMatch(/COPY dir:9f3aef3961fa… in \/src/);
    // The long RUN, readable whole with i, and Esc closes it.
    text = await step(['k', 'i'], (t) => t.includes('the whole instruction'));
    // Wrapped to the pane, every word of it is there, to the last.
    for (const words of ['RUN apt-get update', 'install', '--no-install-recommends', 'libc6-dev make']) expect(text).toContain(words);
    text = await step(['Escape'], (t) => t.includes('Layer 1  sha256'));

    // A chmod-only layer shows what changed with the attribute columns (b, dive's Ctrl-B).
    text = await step(['G', 'Tab', 'a', ']', 'b'], (t) => /~ .*hell.*-rw------- /.test(t));
    text = await step(['C-b', 'a', '[', 'Tab', 'Tab', 'g', 'Tab'], (t) => /» Layer 0 files/.test(t) && !/-rw-/.test(t));

    // v on a symlink says its target; the next key clears the message.
    text = await step(['s', 'g', 'v'], (t) => t.includes('/bin is a symbolic link to usr/bin'));
    text = await step(['j'], (t) => !t.includes('symbolic link to'));

    // Folders open and close with a filter kept (h/Left closes, l/Right opens).
    text = await step(['/', 'd', 'p', 'k', 'g', 'Enter'], (t) => t.includes('filter "dpkg"') && /› . ▾ etc/.test(t));
    text = await step(['h'], (t) => /› . ▸ etc/.test(t));
    text = await step(['l'], (t) => /› . ▾ etc/.test(t));
    text = await step(['/', 'Escape'], (t) => !t.includes('filter "dpkg"'));

    // w shows only folders holding flagged files, each marked.
    text = await step(['w'], (t) => t.includes('flagged only'));
    for (const line of text.split('\n').filter((l) => /[▸▾] /.test(l))) expect(line).toMatch(/[·!] +[\d.]+ [kMG]?B$/);
    text = await step(['w'], (t) => !t.includes('flagged only'));

    // dive's Ctrl-A hides added files; it never acts as `a`.
    text = await step(['C-a'], (t) => t.includes('hiding added'));
    expect(text).not.toContain('changes only');
    text = await step(['C-a'], (t) => !t.includes('hiding added'));

    // The help: nothing acts behind it; it scrolls, and explains the figures.
    text = await step(['?'], (t) => t.includes('Help (Esc'));
    text = await step(['G'], (t) => t.includes('Files and paths'));
    text = await step(['Escape'], (t) => t.includes('» Layer 0 files'));

    // e in /proc: the prompt offers the temporary directory and says why; Enter writes there.
    text = await step(['e'], (t) => t.includes('/proc is not writable') && t.includes('-report-layerscope-fixture_c-single-stage_latest.md▏'));
    text = await step(['Enter'], (t) => t.includes('report written to /tmp/layerscope-report-'));
    expect(readFileSync(REPORT, 'utf8')).toMatch(/^# layerscope: layerscope-fixture\/c-single-stage:latest/);
    rmSync(REPORT, { force: true });

    term.keys('q');
    expect(await term.screenWhere((t) => t.includes('LAYERSCOPE-EXITED='))).toContain('LAYERSCOPE-EXITED=0');
  });
});

describe('the explorer on a monochrome terminal without UTF-8 (TERM=xterm-mono, LANG=C)', () => {
  it('draws no colour and only ASCII', { timeout: 300_000 }, async () => {
    const term = terminals.get('mono') as Terminal;
    await term.screenWhere(READY, 240_000);
    term.keys('Tab', ']');
    const text = await term.screenWhere((t) => t.includes('> Layer 0 files') && t.includes('v '));
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
    // Inverse and bold mark the cursor; no foreground or background colour anywhere.
    expect(term.styled()).not.toMatch(/\u001b\[(?:[0-9]+;)*(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9]+)*m/);
    term.keys('?');
    expect(await term.screenWhere((t) => t.includes('Help (Esc'))).toMatch(/^[\x20-\x7e\n]*$/);
    term.keys('q');
    expect(await term.screenWhere((t) => t.includes('LAYERSCOPE-EXITED='))).toContain('LAYERSCOPE-EXITED=0');
  });
});
