import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../components/App.js';
import { createTheme } from '../../components/theme.js';
import { readImageArchive } from '../../src/archive/read-image-archive.js';
import { analyseImage, type ImageAnalysis } from '../../src/analysis/analyse.js';
import { analyseStage } from '../helpers/stages.js';
import { compareStages, type StageComparison } from '../../src/analysis/compare.js';
import { ImageNotFoundError } from '../../src/errors.js';
import type { ExploreSnapshot } from '../../src/explore-session.js';
import { demoArchive } from '../../src/sources/demo-image.js';
import { analyseLayers, chunked, dir, file } from '../helpers/archives.js';
import { frameWhere, readySession } from '../helpers/explorer.js';

const KEYS = { tab: '\t', enter: '\r', down: '\u001b[B', escape: '\u001b' };
let demo: ImageAnalysis;
let demoBytes: Buffer;

beforeAll(async () => {
  demoBytes = await demoArchive();
  demo = analyseImage(await readImageArchive(chunked(demoBytes), { source: 'demo' }));
});

function renderApp(
  analysis: ImageAnalysis = demo,
  options: { colour?: boolean; exported?: string[]; comparison?: StageComparison | ExploreSnapshot['comparison']; archive?: Buffer } = {},
) {
  const exportReport = {
    suggest: () => ({ path: 'report.md' }),
    write: async (path: string): Promise<string> => {
      options.exported?.push(path);
      return path;
    },
  };
  return render(<App session={readySession(analysis, options.comparison, options.archive ?? (analysis === demo ? demoBytes : undefined))} exportReport={exportReport} theme={createTheme({ colour: options.colour ?? false, unicode: true })} />);
}

/** Presses a key and waits until the frame changes. */
async function press(app: ReturnType<typeof renderApp>, key: string, until?: (frame: string) => boolean): Promise<string> {
  const before = app.lastFrame();
  app.stdin.write(key);
  return frameWhere(app.lastFrame, (frame) => frame !== before && (until ? until(frame) : true));
}

describe('the explorer screen', () => {
  it('shows the layers, the selected layer, the summary with findings, and the tree with key hints', () => {
    const frame = renderApp().lastFrame() ?? '';
    expect(frame).toContain('» Layers');
    expect(frame).toMatch(/1\s+37\.8 MB ! RUN apt-get update && apt/);
    expect(frame).toContain('Findings (12)');
    expect(frame).toContain('C/C++ compilers');
    expect(frame).toMatch(/\+ ▸ bin/);
    expect(frame).toContain('Tab pane');
    expect(frame).toContain('? help');
  });

  it('moves between layers and into the tree, and expands a directory', async () => {
    const app = renderApp();
    let frame = await press(app, KEYS.down, (f) => f.includes('Layer 1 files'));
    expect(frame).toMatch(/RUN apt-get update && apt-get install -y\s+gcc make/);
    await press(app, KEYS.tab, (f) => f.includes('» Layer 1 files'));
    frame = await press(app, KEYS.enter, (f) => f.includes('▾ usr'));
    expect(frame).toMatch(/▸ lib/);
    expect(frame).toMatch(/▸ bin/);
  });

  it('acts on every key that arrives in one read, as a held key or tmux sends them', async () => {
    const app = renderApp();
    const frame = await press(app, 'jj\t', (f) => f.includes('» Layer 2 files'));
    expect(frame).toMatch(/› +2 /);
    const filtered = await press(app, '/src\r', (f) => f.includes('filter "src"'));
    expect(filtered).toMatch(/src/);
  });

  it('moves in the pane under the pointer with the mouse wheel, and ignores clicks', async () => {
    const app = renderApp();
    const wheelDown = (column: number, row: number) => `\u001b[<65;${column};${row}M`;
    // Over the layer list (left, near the top): three layers down; the focus stays.
    let frame = await press(app, wheelDown(5, 3), (f) => f.includes('Layer 3 files'));
    expect(frame).toContain('» Layers');
    // Over the tree (right): its cursor moves three rows down, to the fourth row.
    app.stdin.write(wheelDown(90, 10));
    frame = await press(app, KEYS.tab, (f) => f.includes('» Layer 3 files'));
    const lines = frame.split('\n');
    const treeColumn = (lines[0] ?? '').indexOf('» Layer 3 files');
    const treeRows = lines.map((line) => line.slice(treeColumn));
    expect(treeRows.findIndex((line) => line.startsWith('› '))).toBe(4);
    // A click is not a key, and is never typed into the filter.
    await press(app, '/');
    app.stdin.write('\u001b[<0;90;10M');
    frame = await press(app, 'usr\r', (f) => f.includes('filter "usr"'));
    expect(frame).not.toContain('[<0');
  });

  it('shows the stage comparison in place of the tree with c, and says how to get one without a builder', async () => {
    const final = await analyseStage([[dir('usr'), dir('usr/local'), dir('usr/local/bin'), file('usr/local/bin/app', 9000, 0o755)]], ['COPY --from=build /out/app /usr/local/bin/app']);
    const builder = await analyseLayers([[dir('out'), file('out/app', 9000, 0o755), dir('usr'), dir('usr/bin'), file('usr/bin/gcc', 30_000, 0o755)]]);
    const comparison = compareStages(final, [{ name: 'build', reference: 'app:build', analysis: builder }], 'app:final');
    let frame = await press(renderApp(final, { comparison }), 'c', (f) => f.includes('Stage comparison'));
    expect(frame).toMatch(/Final is 23 % of the largest source stage/);
    expect(frame).toContain('Carried over (COPY --from): 1 file, 9 kB');
    expect(frame).toMatch(/9 kB {2}\/usr\/local\/bin\/app {2}← build:\//); // the stage, then the path as far as the pane shows
    expect(frame).toMatch(/30 kB {2}toolchains \(1\)/);
    expect(frame).toContain('Still in the final image: nothing flagged');
    frame = await press(renderApp(final), 'c', (f) => f.includes('Stage comparison'));
    expect(frame).toContain('No builder image to compare with.');
    frame = await press(renderApp(final, { comparison: { status: 'loading', progress: { archiveBytes: 5_000_000, blobsDone: 1, expectedBytes: 20_000_000 } } }), 'c', (f) => f.includes('Stage comparison'));
    expect(frame).toContain('Reading the builder image…');
    expect(frame).toContain('5 MB of ~20 MB read, 1 layer done');
    const failed = { status: 'failed' as const, error: new ImageNotFoundError('app:build', 'unix:///var/run/docker.sock') };
    frame = await press(renderApp(final, { comparison: failed }), 'c', (f) => f.includes('Stage comparison'));
    expect(frame).toMatch(/The builder image could not be read:\n.*image app:build not found/);
    expect(frame).toContain('pull it first');
  });

  it('shows a file as its layer wrote it with v, and closes with Esc', async () => {
    const app = renderApp();
    await press(app, 'G', (f) => f.includes('Layer 7 files'));
    await press(app, KEYS.tab, (f) => f.includes('» Layer 7 files'));
    await press(app, '/os-release\r', (f) => f.includes('filter "os-rel'));
    await press(app, 'j', (f) => /› ~ +os-release/.test(f));
    let frame = await press(app, 'v', (f) => f.includes('NAME="demo"'));
    expect(frame).toMatch(/» \/etc\/os-release \(layer 7 · 24 B\)/);
    expect(frame).toMatch(/NAME="demo"\s*\n.*VERSION="2"/);
    frame = await press(app, KEYS.escape, (f) => f.includes('» Layer 7 files'));
    expect(frame).not.toContain('NAME="demo"');
    // On a folder, v says what it is for.
    frame = await press(app, 'k');
    frame = await press(app, 'v', (f) => f.includes("v shows a file's contents"));
  });

  it('opens every folder with ], closes one with Enter, and all with [; with a filter too', async () => {
    const app = renderApp();
    await press(app, KEYS.down, (f) => f.includes('Layer 1 files'));
    await press(app, KEYS.tab, (f) => f.includes('» Layer 1 files'));
    const all = await press(app, ']', (f) => f.includes('▾ usr'));
    for (const open of [/▾ x86_64-linux-gnu/, /▾ lists/, /▾ cache/, /▾ busybox/]) expect(all).toMatch(open);
    // Enter on usr closes it alone: what var holds stays open.
    const one = await press(app, KEYS.enter, (f) => f.includes('▸ usr'));
    expect(one).toMatch(/▾ lists/);
    expect(one).not.toMatch(/x86_64/);
    const none = await press(app, '[', (f) => f.includes('▸ var'));
    expect(none).not.toMatch(/▾/);
    // A filter opens what it keeps; [ closes all of it, and Enter opens one folder again.
    await press(app, '/');
    await press(app, 'l');
    await press(app, 'i');
    const filtered = await press(app, KEYS.enter, (f) => f.includes('filter "li"') && !f.includes('filter:'));
    expect(filtered).toMatch(/▾ lists/);
    const closed = await press(app, '[', (f) => f.includes('▸ usr'));
    expect(closed).toMatch(/▸ var/);
    expect(closed).not.toMatch(/▾|cc1/);
    const reopened = await press(app, KEYS.enter, (f) => f.includes('▾ usr'));
    expect(reopened).toMatch(/▸ lib/);
    expect(reopened).toMatch(/▸ var/);
  });

  it("switches between the layer's own changes and the whole tree", async () => {
    const app = renderApp();
    await press(app, KEYS.down);
    await press(app, KEYS.down, (f) => f.includes('Layer 2 files'));
    const changes = await press(app, 'a', (f) => f.includes('changes only'));
    expect(changes).toMatch(/\+ ▸ src/);
    expect(changes).not.toMatch(/▸ bin/);
    const all = await press(app, 'a', (f) => f.includes('all files'));
    expect(all).toMatch(/▸ bin/);
  });

  it('filters the tree to matching paths, opened, and clears the filter with Esc', async () => {
    const app = renderApp();
    await press(app, KEYS.down);
    await press(app, '/');
    for (const key of 'lists') await press(app, key);
    const filtered = await press(app, KEYS.enter, (f) => f.includes('filter "lists"') && !f.includes('filter:'));
    expect(filtered).toMatch(/deb\.debian\.org_deb/);
    expect(filtered).not.toMatch(/▸ bin/);
    await press(app, '/');
    const cleared = await press(app, KEYS.escape, (f) => !f.includes('filter "') && !f.includes('filter:'));
    expect(cleared).toMatch(/▸ bin/);
  });

  it('jumps from a finding to its layer and its path in the tree', async () => {
    const app = renderApp();
    await press(app, KEYS.tab);
    await press(app, KEYS.tab);
    await press(app, KEYS.down); // the apt lists finding, second by size
    // The cursor lands on the finding's path, in its layer, with the folders above it open.
    const frame = await press(app, KEYS.enter, (f) => f.includes('» Layer 1 files') && /› \+\s+deb\.debian\.org/.test(f));
    expect(frame).toMatch(/▾ lists/);
    expect(frame).toMatch(/deb\.debian\.org\S* +! +8\.5 MB/);
  });

  it('shows only flagged files with w, and hides unchanged ones with u', async () => {
    const app = renderApp();
    const flagged = await press(app, 'w', (f) => f.includes('flagged only'));
    expect(flagged).toMatch(/▸ usr/);
    expect(flagged).not.toMatch(/▸ bin/);
    await press(app, 'w');
    await press(app, KEYS.down);
    const changed = await press(app, 'u', (f) => f.includes('hiding unchanged'));
    expect(changed).not.toMatch(/▸ bin/);
    expect(changed).toMatch(/▸ var/);
  });

  it('opens the help, generated from the keymap, scrolls it, and explains the figures', async () => {
    const app = renderApp();
    let help = await press(app, '?', (f) => f.includes('Help (Esc or ? closes'));
    expect(help).toContain('open all folders');
    expect(help).toContain("the layer's own changes / the whole tree up to it");
    expect(help).toContain('+ added');
    help = await press(app, 'G', (f) => f.includes('dive efficiency:'));
    expect(help).toMatch(/Removable by editing your Dockerfile: bytes of files your own\s+layers added/);
    expect(help).toMatch(/L5→8 in the findings/);
    help = await press(app, 'g', (f) => f.includes('Keys'));
    help = await press(app, '\u001b[6~', (f) => f.includes('dive: Ctrl-Space'));
    expect(help).toMatch(/dive: Ctrl-B +attributes/);
    await press(app, KEYS.escape, (f) => f.includes('» Layers'));
  });

  it('asks where to write the report, with the default filled in, and says where it went', async () => {
    const exported: string[] = [];
    const app = renderApp(demo, { exported });
    let frame = await press(app, 'e', (f) => f.includes('write the report to: report.md'));
    await press(app, '\u007f\u007f', (f) => f.includes('report.m▏') || f.includes('report.▏'));
    frame = await press(app, 'txt\r', (f) => f.includes('report written to'));
    expect(frame).toContain('report written to report.txt');
    expect(exported).toEqual(['report.txt']);
    // Esc cancels, and writes nothing.
    await press(app, 'e', (f) => f.includes('write the report to'));
    frame = await press(app, KEYS.escape, (f) => f.includes('export cancelled'));
    expect(exported).toEqual(['report.txt']);
  });

  it('asks for a bigger terminal instead of drawing a broken screen, and recovers on resize', async () => {
    const app = renderApp();
    Object.defineProperty(app.stdout, 'columns', { value: 50, configurable: true });
    app.stdout.emit('resize');
    const small = await frameWhere(app.lastFrame, (f) => f.includes('Terminal too small'));
    expect(small.replace(/\s+/g, ' ')).toContain('this one is 50×24');
    Object.defineProperty(app.stdout, 'columns', { value: 100, configurable: true });
    app.stdout.emit('resize');
    await frameWhere(app.lastFrame, (f) => f.includes('Layers'));
  });

  it('keeps state markers and the focus visible without colour', async () => {
    const app = renderApp(demo, { colour: false });
    const plain = app.lastFrame() ?? '';
    expect(plain).not.toMatch(/\u001b\[3\dm/);
    expect(plain).toMatch(/\+ ▸ bin/);
    const focused = await press(app, KEYS.tab, (f) => f.includes('» Layer 0 files'));
    expect(focused).toMatch(/› \+ ▸ bin/);
  });

  it('keeps the columns aligned with wide, combining and emoji characters in names', async () => {
    const names = ['漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字.txt', 'cafe\u0301-cafe\u0301-cafe\u0301.txt', '📦📦📦-package.tar', 'plain.txt'];
    const analysis = await analyseLayers([[dir('x'), ...names.map((name, i) => file(`x/${name}`, 1000 * (i + 1)))]]);
    const app = renderApp(analysis);
    await press(app, KEYS.tab);
    const frame = await press(app, KEYS.enter, (f) => f.includes('plain.txt'));
    const lines = frame.split('\n');
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(100);
    // Every file row ends with its size, right-aligned at the same column.
    const sized = lines.filter((line) => line.includes(' + ') && /\d kB$/.test(line));
    expect(sized).toHaveLength(5); // x, and its four files
    expect(new Set(sized.map((line) => stringWidth(line))).size).toBe(1);
    expect(frame).toContain('漢字');
    expect(frame).toContain('cafe\u0301');
  });

  it('renders hostile file names inert: no escape sequence reaches the terminal', async () => {
    const analysis = await analyseLayers([[dir('x'), file('x/evil\u001b]0;pwned\u0007\u001b[2Jname', 5)]]);
    const app = renderApp(analysis);
    await press(app, KEYS.tab);
    const frame = await press(app, KEYS.enter, (f) => f.includes('evil'));
    expect(frame).toContain('evil\\x1b]0;pwned\\x07\\x1b[2Jname');
    expect(frame).not.toContain('\u001b]0;');
    expect(frame).not.toContain('\u001b[2J');
  });
});
