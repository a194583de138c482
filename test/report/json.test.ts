import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readImageArchive } from '../../src/archive/read-image-archive.js';
import { analyseImage } from '../../src/analysis/analyse.js';
import { jsonReport } from '../../src/report/json.js';
import { demoArchive } from '../../src/sources/demo-image.js';
import { analyseLayers, chunked, file } from '../helpers/archives.js';

const GOLDEN = fileURLToPath(new URL('./golden/demo.json', import.meta.url));
const options = { source: { kind: 'demo', reference: 'demo' }, toolVersion: '0.0.0-test', top: 5 };

describe('the JSON report', () => {
  it('matches the reviewed golden file for the demo image (UPDATE_GOLDEN=1 rewrites it)', async () => {
    const image = await readImageArchive(chunked(await demoArchive()), { source: 'demo' });
    const text = jsonReport(analyseImage(image), options);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('writes bytes as integers and keeps image bytes = final + unreachable', async () => {
    const analysis = await analyseLayers([[file('a', 1234)], [file('a', 99)]]);
    const report = JSON.parse(jsonReport(analysis, options)) as { figures: Record<string, number> };
    const { imageBytes, finalBytes, unreachableBytes } = report.figures;
    expect([imageBytes, finalBytes, unreachableBytes].every(Number.isInteger)).toBe(true);
    expect(imageBytes).toBe((finalBytes ?? 0) + (unreachableBytes ?? 0));
  });

  it('makes escape sequences and control characters in names inert', async () => {
    const hostile = 'evil\u001b]0;pwned\u0007\u001b[31mred\u202enoitacol';
    const analysis = await analyseLayers([[file(hostile, 10)]]);
    const text = jsonReport(analysis, options);
    expect(text).not.toMatch(/\\u001b|\\u0007|\u202e/);
    const report = JSON.parse(text) as { largestFiles: { path: string }[] };
    expect(report.largestFiles[0]?.path).toBe('evil\\x1b]0;pwned\\x07\\x1b[31mred\\u{202e}noitacol');
  });
});

describe('strings from the image in the JSON report', () => {
  it('escape every control character the same way, newline and carriage return alike', async () => {
    const { analyseLayers, file } = await import('../helpers/archives.js');
    const { jsonReport } = await import('../../src/report/json.js');
    const analysis = await analyseLayers([[file('a\nb', 'x'), file('c\rd', 'y'), file('e\tf', 'z')]]);
    const text = jsonReport(analysis, { source: { kind: 'demo', reference: 'demo' }, toolVersion: '0', top: 5 });
    expect(text).toContain('a\\\\x0ab');
    expect(text).toContain('c\\\\x0dd');
    expect(text).toContain('e\\\\x09f');
    expect(text).not.toMatch(/\\[nrt]/);
  });
});
