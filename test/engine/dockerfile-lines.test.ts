// Findings placed on the lines of the Dockerfile a real image was built from: the c-single-stage
// fixture, built by `docker build` (scripts/fixtures.sh), read with --dockerfile through the real
// executable. Where each finding belongs is worked out from the Dockerfile and the base image, not
// from layerscope: a file the base image already has belongs to FROM; otherwise the instruction
// that writes that kind of file in this Dockerfile.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import prettyBytes from 'pretty-bytes';
import type { Log } from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/run-bin.js';
import { fixtureImage, inContainer, requireEngine } from './engine.js';

const ref = fixtureImage('c-single-stage');
const root = fileURLToPath(new URL('../../', import.meta.url));
const dockerfile = relative(root, fileURLToPath(new URL('./fixtures/c-single-stage/Dockerfile', import.meta.url)));
const dockerfileLines = readFileSync(join(root, dockerfile), 'utf8').split('\n');
const BASE = 'layerscope-test/debian:bookworm';

/** 1-based line of the one instruction that starts with `prefix`. */
function lineOf(prefix: string): number {
  const lines = dockerfileLines.flatMap((line, at) => (line.startsWith(prefix) ? [at + 1] : []));
  expect(lines, prefix).toHaveLength(1);
  return lines[0] ?? 0;
}

interface JsonLocation { readonly file: string; readonly line: number; readonly stage: number; readonly fromBaseImage: boolean }
interface JsonFinding {
  readonly rule: string;
  readonly category: string;
  readonly bytes: number;
  readonly paths: readonly { readonly path: string }[];
  readonly layer: { readonly index: number; readonly location: JsonLocation | null };
  readonly hiddenBy: { readonly index: number; readonly location: JsonLocation | null } | null;
}
interface JsonReport {
  readonly findings: readonly JsonFinding[];
  readonly dockerfile: { readonly unplacedSteps: readonly { readonly createdBy: string; readonly layer: number | null }[]; readonly missingInstructions: readonly unknown[] };
}

let scratch: string;
let report: JsonReport;
/** `path size mtime` of the findings' largest files, in the base image and in the fixture image. */
let inBase: Map<string, string>;
let inImage: Map<string, string>;

/** stat of each path that exists in a container of the image. */
function statIn(image: string, paths: readonly string[]): Map<string, string> {
  const script = `while IFS= read -r p; do [ -e "$p" ] && stat -c '%n %s %Y' "$p"; done <<'EOF'\n${paths.join('\n')}\nEOF\ntrue`;
  return new Map(inContainer(image, script).split('\n').filter(Boolean).map((line) => [line.split(' ')[0] ?? '', line]));
}

beforeAll(async () => {
  await requireEngine();
  scratch = mkdtempSync(join(tmpdir(), 'layerscope-lines-'));
  const out = join(scratch, 'report.json');
  const result = runBin([ref, '--dockerfile', dockerfile, '--report', 'json', '-o', out], {}, root);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
  const paths = report.findings.map((finding) => `/${finding.paths[0]?.path ?? ''}`);
  inBase = statIn(BASE, paths);
  inImage = statIn(ref, paths);
}, 300_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const HIDDEN = new Set(['deleted-later', 'overwritten', 'metadata-only']);

/**
 * The base image made the finding's bytes when it has the file: for bytes a later layer hid, any
 * version of it; for a file of the final tree, the very version the image shows (same size and time).
 */
function fromBase(finding: JsonFinding): boolean {
  const path = `/${finding.paths[0]?.path ?? ''}`;
  return HIDDEN.has(finding.category) ? inBase.has(path) : inBase.has(path) && inBase.get(path) === inImage.get(path);
}

/** Where this Dockerfile writes each kind of file the fixture leaves behind. */
function expectedLine(finding: JsonFinding): number {
  if (fromBase(finding)) return lineOf('FROM ');
  if (finding.rule === 'git-dir') return lineOf('COPY git-dir /src/.git');
  if (finding.rule === 'context-tests' || finding.rule === 'metadata-only') return lineOf('COPY . /src');
  if (finding.rule === 'deleted-later' || finding.rule === 'overwritten') return lineOf('RUN head -c 200000');
  // Packages, their caches, docs and logs: the only RUN that installs anything.
  return lineOf('RUN apt-get update');
}

function expectedHiddenByLine(finding: JsonFinding): number {
  if (fromBase(finding)) return lineOf('RUN apt-get update');
  if (finding.rule === 'metadata-only') return lineOf('RUN chmod 600');
  return lineOf('RUN rm /tmp/scratch.bin');
}

describe('findings on the lines of the Dockerfile the image was built from', () => {
  it('places every finding, and the layer that hid it, on the right line', () => {
    expect(report.findings.length).toBeGreaterThanOrEqual(12);
    for (const finding of report.findings) {
      const what = `${finding.rule} /${finding.paths[0]?.path}`;
      expect(finding.layer.location, what).not.toBeNull();
      expect([what, finding.layer.location?.file, finding.layer.location?.line, finding.layer.location?.stage]).toEqual([what, dockerfile, expectedLine(finding), 0]);
      expect([what, finding.layer.location?.fromBaseImage]).toEqual([what, expectedLine(finding) === lineOf('FROM ')]);
      if (finding.hiddenBy) expect([what, finding.hiddenBy.location?.line]).toEqual([what, expectedHiddenByLine(finding)]);
    }
    // Both kinds of base-image finding and every instruction that leaves one are covered.
    const lines = new Set(report.findings.map((finding) => finding.layer.location?.line));
    expect([...lines].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([6, 7, 8, 9, 11]);
  });

  it('says which step it could not place: the LABEL the fixture script adds with docker build --label', () => {
    expect(report.dockerfile.unplacedSteps).toEqual([{ step: 9, layer: null, createdBy: expect.stringMatching(/^\/bin\/sh -c #\(nop\) {2}LABEL layerscope\.fixture-hash=[0-9a-f]{16}$/) as unknown as string }]);
    expect(report.dockerfile.missingInstructions).toEqual([]);
  });
});

describe('a CI run on GitHub Actions', () => {
  it('writes annotations on the Dockerfile lines and appends the report to the job summary, with SARIF in the same run', () => {
    const summary = join(scratch, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const sarif = join(scratch, 'report.sarif');
    const result = runBin([ref, '--dockerfile', dockerfile, '--ci', '--fail-on', 'toolchain', '--report', 'sarif', '-o', sarif], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary }, root);
    expect(result.status).toBe(1);
    const lines = result.stdout.split('\n');
    const toolchain = report.findings.filter((finding) => finding.category === 'toolchain');
    const bytes = prettyBytes(toolchain.reduce((sum, finding) => sum + finding.bytes, 0));
    expect(lines).toContain(`::error title=layerscope gate%3A --fail-on::toolchain: ${toolchain.length} findings, ${bytes} (flag)`);
    const apt = lines.find((line) => line.startsWith('::warning title=layerscope%3A package-cache,'));
    expect(apt).toMatch(new RegExp(`^::warning title=layerscope%3A package-cache,file=${dockerfile},line=${lineOf('RUN apt-get update')},endLine=${lineOf('RUN apt-get update')}::`));
    expect(lines.filter((line) => line.startsWith('::')).length).toBe(report.findings.length + 1);
    expect(lines.at(-2)).toBe('Result: FAIL (1 failed, 0 passed, 0 skipped)');

    const written = readFileSync(summary, 'utf8');
    expect(written.startsWith('# earlier step\n# layerscope: layerscope-fixture/c-single-stage:latest\n')).toBe(true);
    expect(written).toContain('## Dockerfile');
    expect(written).toContain('FAIL  --fail-on');

    const log = JSON.parse(readFileSync(sarif, 'utf8')) as Log;
    const results = log.runs[0]?.results ?? [];
    expect(results).toHaveLength(report.findings.length);
    expect(results.every((result) => result.locations?.[0]?.physicalLocation?.artifactLocation?.uri === dockerfile)).toBe(true);
  });
});
