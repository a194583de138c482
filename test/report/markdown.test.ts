// The Markdown report as GitHub would render it: markdown-it with raw HTML on and linkify (as
// GitHub autolinks URLs), then checks on the HTML — the tables have the rows they should, no tag
// beyond the report's own, no link or image from a name — and on the text, which must keep every
// name readable. Golden file for the demo image; a hostile-name image; the size budget.

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import MarkdownIt from 'markdown-it';
import { beforeAll, describe, expect, it } from 'vitest';
import { readImageArchive } from '../../src/archive/read-image-archive.js';
import { analyseImage, type ImageAnalysis } from '../../src/analysis/analyse.js';
import { compareVersions } from '../../src/analysis/compare-versions.js';
import { compareStages } from '../../src/analysis/compare.js';
import { analyseStage, builderHistory, builderLayers, finalHistory, finalLayers } from '../helpers/stages.js';
import { BUDGET, code, inline, markdownReport, prose } from '../../src/report/markdown.js';
import { demoArchive } from '../../src/sources/demo-image.js';
import { chunked, dir, file, parseSpec, type TarEntrySpec } from '../helpers/archives.js';
import { locatedAnalysis } from '../helpers/located.js';
import { mapSteps } from '../../src/build/step-map.js';

const GOLDEN = fileURLToPath(new URL('./golden/demo.md', import.meta.url));
const markdown = new MarkdownIt({ html: true, linkify: true });
const ALLOWED_TAGS = new Set(['h1', 'h2', 'p', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'details', 'summary', 'ul', 'li', 'strong', 'em', 'blockquote', 'sub']);

function tagsIn(html: string): Set<string> {
  return new Set([...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((match) => (match[1] ?? '').toLowerCase()));
}

/** Rows per table, header included, in document order. */
function tableRows(html: string): number[] {
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((match) => (match[1]?.match(/<tr>/g) ?? []).length);
}

let demo: ImageAnalysis;
beforeAll(async () => {
  demo = analyseImage(await readImageArchive(chunked(await demoArchive()), { source: 'demo' }));
});

describe('the Markdown report', () => {
  it('matches the reviewed golden file for the demo image (UPDATE_GOLDEN=1 rewrites it)', () => {
    const text = markdownReport(demo, { reference: 'layerscope/demo:latest', top: 5 });
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('renders as the report intends: summary, findings and layer tables whole, long lists folded', () => {
    const html = markdown.render(markdownReport(demo, { reference: 'layerscope/demo:latest', top: 20 }));
    expect([...tagsIn(html)].filter((tag) => !ALLOWED_TAGS.has(tag))).toEqual([]);
    // Summary (header + 8), findings (header + 10 of 12), layers (header + 8), largest files (all 16).
    expect(tableRows(html)).toEqual([9, 11, 9, 17]);
    expect(html).toMatch(/<details>\s*<summary>All 12 findings shown here, with their paths<\/summary>/);
    expect(html).not.toContain('<a ');
    expect(html).toContain('<h2>Top findings</h2>');
  });

  it('keeps --top: fewer findings and files, and says how many more there are', () => {
    const text = markdownReport(demo, { reference: 'demo', top: 3 });
    expect(text).toContain('…and 9 smaller findings');
    expect(tableRows(markdown.render(text))).toEqual([9, 4, 9, 4]);
  });
});

describe('hostile names', () => {
  const NAMES = [
    'pipe|in|name.deb',
    'back`tick``s.deb',
    '<script>alert(1)</script>.deb',
    'x](http://evil.example/a)![img](http://evil.example/i.png).deb',
    '@octocat-and-#123.deb',
    'new\nline.deb',
    'esc\u001b[31mred\u001b]0;title\u0007.deb',
    '</details><img src=x onerror=alert(1)>.deb',
    `${'long-'.repeat(800)}.deb`,
  ];
  let text: string;
  let html: string;
  beforeAll(async () => {
    const debs: TarEntrySpec[] = NAMES.map((name, i) => file(`var/cache/apt/archives/${name}`, 1000 + i));
    const image = await parseSpec({
      layout: 'docker-save',
      images: [
        {
          layers: [[dir('var'), dir('var/cache'), dir('var/cache/apt'), dir('var/cache/apt/archives'), ...debs]],
          history: [{ createdBy: 'RUN apt-get install -y x && echo "| col | @team <b>bold</b> [l](http://x) `tick`"' }],
          tags: ['evil/image:<script>'],
        },
      ],
    });
    text = markdownReport(analyseImage(image), { reference: 'evil|image:`x`@me <b>', top: 20 });
    html = markdown.render(text);
  });

  it('injects no tag, link, image or mention, and keeps every table whole', () => {
    expect([...tagsIn(html)].filter((tag) => !ALLOWED_TAGS.has(tag))).toEqual([]);
    expect(html).not.toMatch(/<a |<img|<script|<b>/);
    // Summary (header + 7), findings (header + 1), layers (header + 1), largest files (header + 9).
    expect(tableRows(html)).toEqual([8, 2, 2, 10]);
    for (const row of html.match(/<tr>[\s\S]*?<\/tr>/g) ?? []) {
      const cells = (row.match(/<t[hd][ >]/g) ?? []).length;
      expect([2, 3, 5]).toContain(cells);
    }
    expect(text).not.toMatch(/\u001b|\u0007/);
    // Outside code spans (where GitHub links nothing), mentions and references are broken.
    const outsideCode = html.replace(/<code>[\s\S]*?<\/code>/g, '');
    expect(outsideCode).not.toMatch(/@me|@team|#123/);
    expect(outsideCode).toContain('@\u200bme');
  });

  it('keeps each name readable: the code span shows the name, control characters made visible', () => {
    expect(html).toContain('<code>/var/cache/apt/archives/pipe|in|name.deb</code>');
    expect(html).toContain('<code>/var/cache/apt/archives/back`tick``s.deb</code>');
    expect(html).toContain('<code>/var/cache/apt/archives/&lt;script&gt;alert(1)&lt;/script&gt;.deb</code>');
    expect(html).toContain('<code>/var/cache/apt/archives/new\\x0aline.deb</code>');
    expect(html).toContain('<code>/var/cache/apt/archives/esc\\x1b[31mred\\x1b]0;title\\x07.deb</code>');
    // A 4,000-character path is shortened, not allowed to swallow the budget.
    expect(text).not.toContain('long-'.repeat(100));
  });
});

describe('escaping helpers', () => {
  it('code spans survive backticks at the edges and pipes', () => {
    expect(code('a|b')).toBe('`a\\|b`');
    expect(code('a|b', 300, false)).toBe('`a|b`'); // outside tables a backslash would show
    expect(markdown.render(`- ${code('x || y', 300, false)}`)).toContain('<code>x || y</code>');
    expect(code('`x`')).toBe('`` `x` ``');
    expect(markdown.renderInline(code('``a`')).replace(/\\\|/g, '|')).toBe('<code>``a`</code>');
  });

  it('prose keeps the backticked parts as code and escapes the rest', () => {
    expect(prose('add `&& apt-get clean` to <that> RUN')).toBe('add `&& apt-get clean` to &lt;that&gt; RUN');
    expect(prose('unclosed `tick')).toBe('unclosed \\`tick');
    expect(inline('[x](y) *b* @me #1')).toBe('\\[x\\](y) \\*b\\* @\u200bme #\u200b1');
  });
});

describe('the size budget', () => {
  it('stays under 65,000 characters on a huge image, trimming the longest lists and saying so', async () => {
    // 120 layers, each leaving 30 apt archives with 300-character names: 120 findings, 3,600 paths.
    const layers: TarEntrySpec[][] = Array.from({ length: 120 }, (_, layer) => [
      dir('var'),
      dir('var/cache'),
      dir('var/cache/apt'),
      dir('var/cache/apt/archives'),
      ...Array.from({ length: 30 }, (_, i) => file(`var/cache/apt/archives/${'p'.repeat(280)}-${layer}-${i}.deb`, 1000 + layer * 100 + i)),
    ]);
    const analysis = analyseImage(await parseSpec({ layout: 'docker-save', images: [{ layers }] }));
    const full = markdownReport(analysis, { reference: 'huge', top: 1000, budget: Number.POSITIVE_INFINITY });
    expect(full.length).toBeGreaterThan(BUDGET * 5);
    const text = markdownReport(analysis, { reference: 'huge', top: 1000 });
    expect(text.length).toBeLessThanOrEqual(BUDGET);
    expect(text.length).toBeGreaterThan(BUDGET * 0.95); // trimmed no more than it had to
    expect(text).toMatch(/> Trimmed to fit GitHub's comment size: [a-z ,]*findings/);
    expect(text).toContain('## Layers');
    expect(text).toContain('## Largest files');
    const html = markdown.render(text);
    expect([...tagsIn(html)].filter((tag) => !ALLOWED_TAGS.has(tag))).toEqual([]);
  });
});

describe('the before/after section (--compare)', () => {
  it('says how much smaller the image got and which findings are gone', async () => {
    const analyse = async (layers: TarEntrySpec[][], createdBy: string[]) =>
      analyseImage(await parseSpec({ layout: 'docker-save', images: [{ layers, history: createdBy.map((c) => ({ createdBy: c })) }] }));
    const lists = [dir('var'), dir('var/lib'), dir('var/lib/apt'), dir('var/lib/apt/lists'), file('var/lib/apt/lists/deb_Packages', 5_000)];
    const before = await analyse([[file('bin/sh', 2_000)], lists], ['ADD file:1 in /', 'RUN apt-get update']);
    const after = await analyse([[file('bin/sh', 2_000)]], ['ADD file:1 in /']);
    const versions = compareVersions(after, before, { current: 'app:pr', other: 'app:main' });
    const text = markdownReport(after, { reference: 'app:pr', top: 5, versions });
    expect(text).toContain('## Compared with `app:main`');
    expect(text).toContain('This image is **5 kB smaller** than `app:main` (7 kB → 2 kB, −71.4 %).');
    expect(text).toContain('**No longer flagged:** APT package lists (5 kB).');
    expect(tableRows(markdown.render(text))[1]).toBe(2); // removed, by kind: header + package caches
  });
});

describe('the stage comparison section', () => {
  it('says where a final image and its builder part after their shared base', async () => {
    const final = await analyseStage(finalLayers, finalHistory);
    const builder = await analyseStage(builderLayers, builderHistory, { role: 'builder' });
    const text = markdownReport(final, { reference: 'app:final', top: 5, comparison: compareStages(final, [{ name: 'builder', reference: 'app:build', analysis: builder }], 'app:final') });
    expect(text).toContain('sharing 1 base layer.');
    expect(text).toContain('After the shared base they part at: final layer 1 `COPY --from=builder /out/app /usr/local/bin/app`; builder layer 1 `RUN apt-get update && apt-get install -y gcc`.');
  });
});

describe('the Dockerfile section', () => {
  it('puts each finding on its line, names the Dockerfile once, and lists the steps it could not place', async () => {
    const analysis = await locatedAnalysis();
    const text = markdownReport(analysis, { reference: 'app:pr', top: 20 });
    const html = markdown.render(text);
    expect([...tagsIn(html)].filter((tag) => !ALLOWED_TAGS.has(tag))).toEqual([]);
    expect(text).toContain('| 30 kB | toolchain | C/C++ compilers and binutils: `/usr/bin/gcc` | 1 (line 3) |');
    expect(text).toContain('| 4 kB | deleted-later | Files deleted by a later layer: `/app/tmp/build.log` | 2 (line 5) → 3 (line 6) |');
    expect(text).toContain('History placed on `ci/Dockerfile` (stage 0): 4 steps on their instructions, 2 from the base image (its FROM), 0 not placed.');
    // A step no instruction made (docker build --label adds one) is named, with its instruction.
    const image = await parseSpec({ layout: 'docker-save', images: [{ layers: [[file('bin/sh', 10)], [file('a', 1)]], history: [{ createdBy: '' }, { createdBy: '/bin/sh -c echo a > /a' }, { createdBy: '/bin/sh -c #(nop)  LABEL x=1', emptyLayer: true }] }] });
    const unplaced = markdownReport(analyseImage(image, { dockerfile: mapSteps('FROM busybox\nRUN echo a > /a\n', image.history, { file: 'Dockerfile' }) }), { reference: 'x', top: 20 });
    expect(unplaced).toContain('Steps no instruction fits (their findings carry no line):\n\n- step 2: `LABEL x=1`\n');
  });
});
