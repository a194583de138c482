import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeImageArchive } from '../src/archive/write-image-archive.js';
import { file } from './helpers/archives.js';
import { runBin } from './helpers/run-bin.js';

const scratch = mkdtempSync(join(tmpdir(), 'layerscope-bin-'));

/** A user error: exit 2, a one-line message and a one-line hint on stderr, no stack trace. */
function expectUserError(result: ReturnType<typeof runBin>, message: RegExp): void {
  expect(result.status).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(message);
  expect(lines[1]).toMatch(/^hint: \S/);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('the layerscope executable', () => {
  it('writes the JSON report of the demo image to stdout', () => {
    const result = runBin(['--demo', '--report', 'json']);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { schemaVersion: number; figures: { imageBytes: number } };
    expect(report.schemaVersion).toBe(3);
    expect(report.figures.imageBytes).toBeGreaterThan(0);
  });

  it('writes the report to a file with -o', () => {
    const out = join(scratch, 'report.json');
    const result = runBin(['--demo', '--report', 'json', '-o', out]);
    expect(result).toMatchObject({ status: 0, stdout: '' });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ schemaVersion: 3 });
  });

  it('reads a docker save file and an OCI layout tar from disk', async () => {
    for (const layout of ['docker-save', 'oci'] as const) {
      const path = join(scratch, `${layout}.tar`);
      writeFileSync(path, await writeImageArchive({ layout, images: [{ layers: [[file('a', 'abc')]] }] }));
      const prefix = layout === 'oci' ? 'oci' : 'docker-archive';
      const result = runBin([`${prefix}:${path}`, '--report', 'json']);
      expect(result.status, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ figures: { imageBytes: 3, finalBytes: 3 } });
    }
  });

  it('explains a missing archive file', () => {
    expectUserError(runBin(['docker-archive:/nonexistent/image.tar']), /^layerscope: no such file or directory: \/nonexistent\/image.tar$/);
  });

  it('explains a file that is not an image archive', () => {
    const path = join(scratch, 'notes.txt');
    writeFileSync(path, 'just some text\n'.repeat(100));
    expectUserError(runBin([`docker-archive:${path}`]), /is not a readable image archive: it is not a tar archive/);
  });

  it('explains an engine that is not there, naming the endpoint it tried', () => {
    expectUserError(
      runBin(['busybox:latest', '--host', 'unix:///nonexistent/docker.sock']),
      /cannot reach the Docker Engine at unix:\/\/\/nonexistent\/docker.sock \(from --host\)/,
    );
  });

  it('explains a usage mistake', () => {
    expectUserError(runBin(['--report', 'xml', 'img']), /^layerscope: --report takes md, json, sarif, junit or codequality, not "xml"$/);
    expectUserError(runBin([]), /no image given/);
    expectUserError(runBin(['--demo', '--top', '-1']), /^layerscope: --top takes a whole number above 0, not "-1"$/);
  });

  it('prints help and version', () => {
    expect(runBin(['--help'])).toMatchObject({ status: 0, stdout: expect.stringContaining('Usage:') });
    expect(runBin(['--version'])).toMatchObject({ status: 0, stdout: expect.stringMatching(/^layerscope \d+\.\d+\.\d+\n$/) });
  });
});

describe('the CI gate (--ci)', () => {
  // The demo image: dive efficiency 0.8534, wasted 9.8 MB, user wasted 0.1976 (see the golden reports).
  const inDir = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'layerscope-ci-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };

  it("reads dive's .dive-ci where it runs: one line per rule, exit 1 when one fails", () => {
    const dir = inDir({ '.dive-ci': 'rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: disabled\n' });
    const result = runBin(['--demo', '--ci'], {}, dir);
    expect(result.status).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      'FAIL  lowestEfficiency          efficiency 0.8534 < limit 0.95  (.dive-ci)',
      'PASS  highestWastedBytes        wasted 9.8 MB <= limit 20MB  (.dive-ci)',
      'SKIP  highestUserWastedPercent  user wasted 0.1976, rule disabled  (.dive-ci)',
      'Result: FAIL (1 failed, 1 passed, 1 skipped)',
      '',
    ]);
  });

  it('passes with flags over the file, writes the report for a PR comment in the same run', () => {
    // Keys missing from .dive-ci take dive's defaults (highestUserWastedPercent 0.1): a flag overrides it.
    const dir = inDir({ '.dive-ci': 'rules:\n  lowestEfficiency: 0.95\n' });
    expect(runBin(['--demo', '--ci', '--min-efficiency', '0.8'], {}, dir).stdout).toContain('FAIL  highestUserWastedPercent  user wasted 0.1976 > limit 0.1');
    const result = runBin(['--demo', '--ci', '--min-efficiency', '0.8', '--max-wasted-percent', '20%', '--max-size', '60MB', '--report', 'md', '-o', 'report.md'], {}, dir);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('PASS  --min-efficiency');
    expect(result.stdout).toContain('PASS  --max-size');
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/^# layerscope: demo/);
  });

  it('fails on a category of findings, and exits 2 on a bad threshold before reading anything', () => {
    expect(runBin(['--demo', '--ci', '--fail-on', 'toolchain']).status).toBe(1);
    const bad = runBin(['--demo', '--ci', '--max-wasted-bytes', '20 parsecs']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^layerscope: .*20 parsecs.*\nhint: /);
    expect(runBin(['--demo', '--max-size', '1GB']).status).toBe(2); // a threshold without --ci
    expect(runBin(['--demo', '--ci', '--report', 'md']).status).toBe(2); // the report would mix with the verdict
  });
});
