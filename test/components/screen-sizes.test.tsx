// Every frame at every size: exactly the terminal's rows, no line wider than its columns, on an
// image with long instructions and a deep tree, through every screen the explorer has. And keys
// act only on the screen that is showing (one test per key that used to leak).
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../components/App.js';
import { createTheme } from '../../components/theme.js';
import { readImageArchive } from '../../src/archive/read-image-archive.js';
import { writeImageArchive } from '../../src/archive/write-image-archive.js';
import { analyseImage, type ImageAnalysis } from '../../src/analysis/analyse.js';
import { chunked } from '../helpers/archives.js';
import { frameWhere, readySession } from '../helpers/explorer.js';
import { screenHistory, screenLayers } from '../helpers/screen-fixture.js';

const KEY = { tab: '\t', enter: '\r', escape: '\u001b', down: '\u001b[B', pageDown: '\u001b[6~', ctrl: (letter: string) => String.fromCharCode(letter.charCodeAt(0) - 96) };
let analysis: ImageAnalysis;
let archive: Buffer;

beforeAll(async () => {
  archive = await writeImageArchive({ layout: 'docker-save', images: [{ layers: screenLayers, history: screenHistory }] });
  analysis = analyseImage(await readImageArchive(chunked(archive), { source: 'screen' }));
});

/** The explorer in a terminal of this size, once it has drawn a frame at that size. */
async function renderAt(columns: number, rows: number, unicode = true) {
  const written: string[] = [];
  const app = render(
    <App
      session={readySession(analysis, undefined, archive)}
      exportReport={{ suggest: () => ({ path: 'report.md', note: '/proc is not writable (it takes no new files)' }), write: async (path) => (written.push(path), path) }}
      theme={createTheme({ colour: false, unicode })}
    />,
  );
  resize(app, columns, rows);
  await frameWhere(app.lastFrame, (f) => fits(f, columns, rows));
  return Object.assign(app, { written, drawnBefore: app.stdout.frames.length - 1 });
}

function resize(app: ReturnType<typeof render>, columns: number, rows: number): void {
  Object.defineProperty(app.stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(app.stdout, 'rows', { value: rows, configurable: true });
  app.stdout.emit('resize');
}

const fits = (frame: string, columns: number, rows: number): boolean => {
  const lines = frame.split('\n');
  return lines.length === rows && lines.every((line) => stringWidth(line) <= columns);
};

/** Asserts the frame fits the terminal exactly: `rows` lines, none wider than `columns`. */
function expectFits(frame: string, columns: number, rows: number): void {
  const lines = frame.split('\n');
  expect(lines, frame).toHaveLength(rows);
  for (const line of lines) expect(stringWidth(line), `${line}\n--- in ---\n${frame}`).toBeLessThanOrEqual(columns);
}

async function press(app: Awaited<ReturnType<typeof renderAt>>, key: string, until: (frame: string) => boolean): Promise<string> {
  app.stdin.write(key);
  return frameWhere(app.lastFrame, until, 5000);
}

describe.each([
  [70, 16],
  [80, 24],
  [120, 40],
  [250, 60],
])('the explorer at %i×%i', (columns, rows) => {
  it('fits every frame of every screen exactly, with long instructions and a deep tree', { timeout: 60_000 }, async () => {
    const app = await renderAt(columns, rows);
    const steps: Array<[string, (frame: string) => boolean]> = [
      ['', (f) => f.includes('Layers') && f.split('\n').length === rows],
      [KEY.down, (f) => f.includes('Layer 1  sha256')],
      ['i', (f) => f.includes('the whole instruction')],
      [KEY.pageDown, (f) => f.includes('the-end-of-the-long-instruction')],
      [KEY.escape, (f) => f.includes('Layer 1 files')],
      [KEY.down, (f) => f.includes('Layer 2 files')],
      [KEY.down, (f) => f.includes('Layer 3 files')],
      [KEY.tab, (f) => f.includes('» Layer 3 files')],
      [']', (f) => /▾ level-00/.test(f)],
      ['G', (f) => f.includes('leaf-file') || f.includes('lea…')],
      ['b', (f) => /drwx|-rw-/.test(f)],
      ['c', (f) => f.includes('Stage comparison')],
      ['c', (f) => f.includes('Layer 3 files')],
      [KEY.tab, (f) => f.includes('» Findings')],
      ['?', (f) => f.includes('Help (Esc')],
      ['G', (f) => f.includes('Files and paths')],
      [KEY.escape, (f) => f.includes('» Findings')],
      ['e', (f) => f.includes('write the report to')],
      [KEY.escape, (f) => f.includes('export cancelled')],
      ['/', (f) => f.includes('filter: ')],
      ['gcc\r', (f) => f.includes('filter "gcc"')],
    ];
    for (const [key, until] of steps) {
      const frame = await press(app, key, until);
      expectFits(frame, columns, rows);
    }
    // Every frame drawn at this size fits, not only the ones waited for.
    const atSize = app.stdout.frames.slice(app.drawnBefore);
    expect(atSize.length).toBeGreaterThan(steps.length / 2);
    for (const frame of atSize) expectFits(frame, columns, rows);
    // The deepest file of the tree keeps a readable name even 24 folders down.
    expect(app.stdout.frames.some((frame) => /leaf-fi/.test(frame))).toBe(true);
    app.unmount();
  });
});

describe('the explorer at the edges of its layout', () => {
  it('keeps COPY’s destination in view and uses the width of a wide terminal for instructions', async () => {
    const app = await renderAt(250, 60);
    const frame = await frameWhere(app.lastFrame, (f) => f.includes('Layers') && f.split('\n').length === 60);
    expect(frame).toMatch(/COPY dir:95ee1d5e8a7b… in \/opt\/venv/);
    // The long RUN shows well past 58 characters in the layer list.
    expect(frame).toMatch(/RUN set -eux; apt-get update && apt-get install -y --no-install-recommends package-number-0 package-number-1/);
  });

  it('re-clamps the tree window when the terminal grows, so no stale scroll hides rows', { timeout: 30_000 }, async () => {
    const app = await renderAt(80, 16);
    await press(app, KEY.down, (f) => f.includes('Layer 1 files'));
    await press(app, KEY.down, (f) => f.includes('Layer 2 files'));
    await press(app, KEY.down, (f) => f.includes('Layer 3 files'));
    await press(app, KEY.tab, (f) => f.includes('» Layer 3 files'));
    await press(app, ']', (f) => /▾ level-00/.test(f));
    await press(app, 'G', (f) => /› +tmp\//.test(f));
    resize(app, 80, 60);
    // Every row fits in 58: the window starts at the top again, the cursor still on the last row.
    const frame = await frameWhere(app.lastFrame, (f) => f.split('\n').length === 60 && f.includes('▾ opt'));
    expect(frame).toMatch(/› +tmp\//);
    expectFits(frame, 80, 60);
  });

  it('draws only ASCII where the locale is not UTF-8, and the too-small message fits', async () => {
    const app = await renderAt(80, 24, false);
    let frame = await frameWhere(app.lastFrame, (f) => f.includes('Layers') && f.split('\n').length === 24);
    frame = await press(app, KEY.tab, (f) => f.includes('> Layer 0 files'));
    expect(frame).toMatch(/^[\x20-\x7e\n]*$/);
    frame = await press(app, '?', (f) => f.includes('Help'));
    expect(frame).toMatch(/^[\x20-\x7e\n]*$/);
    resize(app, 40, 10);
    frame = await frameWhere(app.lastFrame, (f) => f.includes('Terminal too small'));
    expect(frame).toContain('70x16, this one is 40x10');
    for (const line of frame.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(40);
  });
});

describe('the attribute columns (b) give way in a narrow terminal: the time first, then the owner, names kept readable', () => {
  it.each([
    [70, 16, false],
    [80, 24, false],
    [120, 40, true],
  ])('at %i×%i: mode and owner, the time only where it fits (%s)', { timeout: 30_000 }, async (columns, rows, time) => {
    const app = await renderAt(columns, rows);
    await press(app, KEY.tab, (f) => f.includes('» Layer 0 files'));
    await press(app, 'b', (f) => /drwx/.test(f));
    // bin (the largest folder, under the cursor) opened: busybox, 0755, owned by 0:0, written at time 0.
    const frame = await press(app, KEY.enter, (f) => f.includes('busybox'));
    expectFits(frame, columns, rows);
    expect(frame).toMatch(/▾ bin +drwxr-xr-x 0:0 /);
    expect(frame).toMatch(/ busybox +-rwxr-xr-x 0:0 /);
    // A link's target may be cut (marked) where the pane is narrow; its mode and owner are not.
    expect(frame).toMatch(/ sh → bus\S* +lrw-r--r-- 0:0 /);
    if (time) expect(frame).toMatch(/-rwxr-xr-x 0:0 1970-01-01 00:00 +900 kB/);
    else expect(frame).not.toMatch(/1970-01-01/);
  });
});

describe('keys act only on the screen that shows', () => {
  it('j behind the help moves nothing', async () => {
    const app = await renderAt(80, 24);
    await press(app, '?', (f) => f.includes('Help (Esc'));
    app.stdin.write('j');
    await press(app, KEY.escape, (f) => f.includes('» Layers'));
    expect(app.lastFrame()).toMatch(/› +0 /);
  });

  it('j behind the too-small message moves nothing', async () => {
    const app = await renderAt(80, 24);
    resize(app, 50, 10);
    await frameWhere(app.lastFrame, (f) => f.includes('Terminal too small'));
    app.stdin.write('jjj');
    resize(app, 80, 24);
    const frame = await frameWhere(app.lastFrame, (f) => f.includes('» Layers'));
    expect(frame).toMatch(/› +0 /);
  });

  it('Ctrl-A hides added files (dive) and never switches the mode as a would', async () => {
    const app = await renderAt(120, 40);
    const frame = await press(app, KEY.ctrl('a'), (f) => f.includes('hiding added'));
    expect(frame).toContain('all files');
    expect(frame).not.toContain('changes only');
  });

  it('Ctrl-E does not export, Ctrl-S does not sort, Ctrl-W does not filter to flagged files', async () => {
    const app = await renderAt(120, 40);
    app.stdin.write(KEY.ctrl('e'));
    app.stdin.write(KEY.ctrl('s'));
    app.stdin.write(KEY.ctrl('w'));
    const frame = await press(app, KEY.down, (f) => f.includes('Layer 1 files'));
    expect(frame).not.toContain('write the report to');
    expect(frame).toContain('by size');
    expect(frame).not.toContain('flagged only');
  });

  it('Esc on the main screen does nothing, and Enter in the help opens no folder', async () => {
    const app = await renderAt(120, 40);
    await press(app, KEY.tab, (f) => f.includes('» Layer 0 files'));
    app.stdin.write(KEY.escape);
    await press(app, '?', (f) => f.includes('Help (Esc'));
    app.stdin.write(KEY.enter);
    const frame = await press(app, KEY.escape, (f) => f.includes('» Layer 0 files'));
    expect(frame).toMatch(/▸ bin/);
    expect(frame).not.toMatch(/▾ bin/);
  });

  it('letters typed in the filter or the export prompt are text, not commands', async () => {
    const app = await renderAt(120, 40);
    await press(app, '/', (f) => f.includes('filter: '));
    let frame = await press(app, 'cqe', (f) => f.includes('filter: cqe'));
    expect(frame).not.toContain('Stage comparison');
    await press(app, KEY.escape, (f) => !f.includes('filter: '));
    await press(app, 'e', (f) => f.includes('write the report to: report.md'));
    frame = await press(app, 'q\r', (f) => f.includes('report written to'));
    expect(app.written).toEqual(['report.mdq']);
  });

  it('a message clears on the next key', async () => {
    const app = await renderAt(120, 40);
    await press(app, KEY.tab, (f) => f.includes('» Layer 0 files'));
    await press(app, 'v', (f) => f.includes("v shows a file's contents"));
    const frame = await press(app, 'j', (f) => !f.includes("v shows a file's contents"));
    expect(frame).toContain('Tab pane');
  });
});
