// The explorer's summary quotes the removable figures as the Markdown report does: the same
// figure (your own layers' flagged files), the same words, the base layers' flagged bytes beside
// it. On an image whose figures are checkable by hand:
//   layer 0  ADD file:… in /          usr/share/doc/tool/changelog  300,000 B (docs, base)
//   layer 1  RUN apt-get update …     var/lib/apt/lists/Packages  2,000,000 B (package-cache, yours)
//                                     usr/bin/tool                   50,000 B (nothing flagged)
// so removable by editing your Dockerfile = 2,000,000 B = "2 MB", the base's flagged files
// 300,000 B = "300 kB", and the image 2,350,000 B = "2.35 MB".
import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../components/App.js';
import { createTheme } from '../../components/theme.js';
import { readImageArchive } from '../../src/archive/read-image-archive.js';
import { writeImageArchive } from '../../src/archive/write-image-archive.js';
import { analyseImage, type ImageAnalysis } from '../../src/analysis/analyse.js';
import { markdownReport } from '../../src/report/markdown.js';
import { chunked, dir, file } from '../helpers/archives.js';
import { frameWhere, readySession } from '../helpers/explorer.js';

let analysis: ImageAnalysis;

beforeAll(async () => {
  const layers = [
    [dir('usr'), dir('usr/share'), dir('usr/share/doc'), dir('usr/share/doc/tool'), file('usr/share/doc/tool/changelog', 300_000)],
    [dir('var'), dir('var/lib'), dir('var/lib/apt'), dir('var/lib/apt/lists'), file('var/lib/apt/lists/Packages', 2_000_000), dir('usr'), dir('usr/bin'), file('usr/bin/tool', 50_000, 0o755)],
  ];
  const history = [{ createdBy: '/bin/sh -c #(nop) ADD file:4b1f0c3e in / ' }, { createdBy: '/bin/sh -c apt-get update && apt-get install -y tool' }];
  const archive = await writeImageArchive({ layout: 'docker-save', images: [{ layers, history }] });
  analysis = analyseImage(await readImageArchive(chunked(archive), { source: 'summary' }));
});

async function frameAt(columns: number, rows: number): Promise<string> {
  const app = render(
    <App session={readySession(analysis)} exportReport={{ suggest: () => ({ path: 'report.md' }), write: async (path) => path }} theme={createTheme({ colour: false, unicode: true })} />,
  );
  Object.defineProperty(app.stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(app.stdout, 'rows', { value: rows, configurable: true });
  app.stdout.emit('resize');
  const frame = await frameWhere(app.lastFrame, (f) => f.split('\n').length === rows && f.includes('Findings ('));
  app.unmount();
  return frame;
}

/** The left pane's text as one line (wrapped words joined again): each row up to where the tree's title starts on the first. */
function leftText(frame: string): string {
  const lines = frame.split('\n');
  const treeAt = (lines[0] ?? '').indexOf('Layer 0 files') - 2;
  expect(treeAt).toBeGreaterThan(20);
  return lines
    .slice(0, -1)
    .map((line) => line.slice(0, treeAt).trim())
    .join(' ');
}

describe("the explorer's summary", () => {
  it('splits the hand-built image at its base: 2 MB yours, 300 kB in the base', () => {
    expect(analysis.split.boundary.layers).toBe(1);
    expect(analysis.split.own.removableBytes).toBe(2_000_000);
    expect(analysis.split.base.removableBytes).toBe(300_000);
  });

  it.each([
    [70, 16],
    [80, 24],
  ])('at %i×%i says what the Markdown report says: removable by editing your Dockerfile, the base beside it', async (columns, rows) => {
    const text = leftText(await frameAt(columns, rows));
    expect(text).toContain('Removable by editing your Dockerfile 2 MB (flagged files in the base layers 300 kB)');
    // The total of both (2.3 MB) is quoted nowhere as "removable".
    expect(text).not.toMatch(/removable 2\.3/i);
    const markdown = markdownReport(analysis, { reference: 'summary', top: 10 });
    expect(markdown).toContain('| Removable by editing your Dockerfile (flagged files your layers added) | 2 MB |');
    expect(markdown).toContain('| Flagged files in the base layers (only another base removes them) | 300 kB |');
  });

  it('at 80×24 also shows the image, final and unreachable sizes and dive efficiency', async () => {
    const text = leftText(await frameAt(80, 24));
    expect(text).toContain('Image 2.35 MB (base 300 kB)');
    expect(text).toContain('final 2.35 MB');
    expect(text).toContain('unreachable 0 B');
    expect(text).toMatch(/dive efficiency 100\.0 %/);
  });
});
