// `layerscope build` and `--builder` on a real multi-stage C build: a Debian builder with gcc from
// the mirror, a busybox final stage with the static binary. Expected values are measured apart
// from layerscope: sizes with stat inside containers of the built images, the size ratio from the
// engine's own image sizes.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/run-bin.js';
import { dockerCli, inContainer, requireEngine } from './engine.js';

const dir = fileURLToPath(new URL('./build-fixtures/c-multistage/', import.meta.url));
const FINAL = 'layerscope-fixture/c-multistage:latest';
const BUILDER = `${FINAL}-build`;
const LEAKY = 'layerscope-fixture/c-multistage-leaky:latest';

interface Comparison {
  final: { reference: string; imageBytes: number };
  builder: { reference: string; imageBytes: number };
  finalShareOfBuilder: number;
  stages: { name: string; reference: string; carriedOver: { list: { path: string; builderPath: string }[] }; leftBehind: { bytes: number } }[];
  carriedOver: { files: number; bytes: number; list: { path: string; stage: string; builderPath: string; bytes: number; instruction: string; match: string }[] };
  leftBehind: { bytes: number; categories: { category: string; bytes: number; files: number; paths: { path: string }[] }[] };
  stillInFinal: { category: string; bytes: number; fromBuilderBytes: number }[];
}

interface Located { file: string; line: number; stage: number; stageName: string | null; instruction: string; copiedFrom: unknown }
interface Report {
  stageComparison: Comparison;
  findings: { category: string; layer: { location: Located | null } }[];
  dockerfile: { stage: number; unplacedSteps: unknown[]; missingInstructions: unknown[] };
}

function build(args: string[]): { comparison: Comparison; report: Report; stderr: string } {
  const result = runBin(['build', '-f', `${dir}Dockerfile.multi`, '--network', 'host', '--report', 'json', '--no-progress', ...args, dir]);
  expect(result.stderr).not.toMatch(/unexpected error/);
  expect(result.status, result.stderr).toBe(0);
  const report = JSON.parse(result.stdout) as Report;
  return { comparison: report.stageComparison, report, stderr: result.stderr };
}

const statSize = (ref: string, path: string): number => Number(inContainer(ref, `stat -c %s ${path}`).trim());
const engineSize = (ref: string): number => Number(dockerCli(['image', 'inspect', '-f', '{{.Size}}', ref]).toString().trim());

describe('layerscope build on a multi-stage C Dockerfile', () => {
  let built: { comparison: Comparison; report: Report; stderr: string };
  beforeAll(async () => {
    await requireEngine();
    built = build(['-t', FINAL]);
  });

  it('builds the final stage and the stage it copies from, tagged, with the build steps shown', () => {
    expect(built.stderr).toContain(`building stage build → ${BUILDER}`);
    expect(built.stderr).toMatch(/\[build\] 4\/4 RUN mkdir -p \/out && cc -O2 -static/);
    expect(engineSize(FINAL)).toBeGreaterThan(0);
    expect(engineSize(BUILDER)).toBeGreaterThan(engineSize(FINAL));
    expect(built.comparison.final.reference).toBe(FINAL);
    expect(built.comparison.builder.reference).toBe(BUILDER);
  });

  it('puts the final image at its share of the builder, as the engine sizes them', () => {
    const share = engineSize(FINAL) / engineSize(BUILDER);
    expect(Math.abs(built.comparison.finalShareOfBuilder - share) / share).toBeLessThan(0.01);
    expect(built.comparison.finalShareOfBuilder).toBeLessThan(0.02);
  });

  it('reports the binary as carried over, with its path in both images', () => {
    const bytes = statSize(FINAL, '/usr/local/bin/hello');
    expect(bytes).toBe(statSize(BUILDER, '/out/hello'));
    expect(built.comparison.carriedOver.list).toEqual([
      { path: 'usr/local/bin/hello', stage: 'build', builderPath: 'out/hello', bytes, layer: 1, instruction: expect.stringMatching(/^COPY .* \/usr\/local\/bin\/hello$/), match: 'digest' },
    ]);
  });

  it('reports the toolchain and the package caches as left behind, with their bytes', () => {
    const byCategory = new Map(built.comparison.leftBehind.categories.map((c) => [c.category, c]));
    const toolchain = byCategory.get('toolchain');
    const cc1 = statSize(BUILDER, '/usr/lib/gcc/x86_64-linux-gnu/12/cc1');
    expect(toolchain?.paths[0]?.path).toBe('usr/lib/gcc/x86_64-linux-gnu/12/cc1');
    expect(toolchain?.bytes).toBeGreaterThan(cc1 + 50_000_000);
    // The apt lists and .deb archives the install left, measured in a builder container.
    const caches = Number(
      inContainer(BUILDER, "find /var/lib/apt/lists /var/cache/apt -type f -exec stat -c %s {} + | awk '{ s += $1 } END { print s + 0 }'").trim(),
    );
    expect(byCategory.get('package-cache')?.bytes).toBe(caches);
    expect(byCategory.get('sources')).toMatchObject({ files: 1, paths: [{ path: 'src/hello.c' }] });
    // Everything the builder holds beyond its base, less what crossed over, is accounted for.
    const total = built.comparison.leftBehind.categories.reduce((sum, c) => sum + c.bytes, 0);
    expect(total).toBe(built.comparison.leftBehind.bytes);
  });

  it('finds nothing flagged still in the final image', () => {
    expect(built.comparison.stillInFinal).toEqual([]);
  });

  it('gives the same comparison from --builder on the built images, the stage named by its image', () => {
    const result = runBin([FINAL, '--builder', BUILDER, '--report', 'json', '--no-progress']);
    expect(result.status, result.stderr).toBe(0);
    const rename = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replaceAll('"stage":"build"', `"stage":"${BUILDER}"`).replaceAll('"name":"build"', `"name":"${BUILDER}"`));
    expect(JSON.parse(result.stdout).stageComparison).toEqual(rename(built.comparison));
  });

  it('flags the .deb archives a careless stage copied across from the builder', () => {
    const { comparison: leaky, report } = build(['-t', LEAKY, '--target', 'leaky']);
    const debs = Number(inContainer(LEAKY, "find /var/cache/apt/archives -type f -exec stat -c %s {} + | awk '{ s += $1 } END { print s + 0 }'").trim());
    expect(leaky.stillInFinal).toEqual([expect.objectContaining({ category: 'package-cache', bytes: debs, fromBuilderBytes: debs })]);
    // On the line of the Dockerfile it built: the COPY --from=build of the --target stage.
    const lines = readFileSync(`${dir}Dockerfile.multi`, 'utf8').split('\n');
    const copy = lines.indexOf('COPY --from=build /var/cache/apt/archives /var/cache/apt/archives') + 1;
    expect(copy).toBeGreaterThan(0);
    expect(report.findings.map((finding) => [finding.category, finding.layer.location])).toEqual([
      ['package-cache', { file: `${dir}Dockerfile.multi`, line: copy, endLine: copy, stage: 1, stageName: 'leaky', instruction: 'COPY', fromBaseImage: false, copiedFrom: { kind: 'stage', stage: 0, stageName: 'build' } }],
    ]);
    expect(report.dockerfile).toMatchObject({ stage: 1, unplacedSteps: [], missingInstructions: [] });
  });
});

describe('a build that fails', () => {
  it('names the stage and the failing step, shows its last output lines, and exits 2 without a stack', () => {
    const context = mkdtempSync(join(tmpdir(), 'layerscope-badbuild-'));
    writeFileSync(join(context, 'Dockerfile'), 'FROM layerscope-test/busybox:latest AS build\nRUN echo about to fail && false\nFROM layerscope-test/busybox:latest\nCOPY --from=build /bin/sh /sh2\n');
    const result = runBin(['build', '-t', 'layerscope-fixture/bad-build:latest', '--report', 'json', context]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('  about to fail');
    expect(result.stderr).toMatch(/\nlayerscope: the build of stage build failed: The command '\/bin\/sh -c echo about to fail && false' returned a non-zero code: 1\nhint: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a final stage that copies from several stages', () => {
  it('is compared with each of them, each file carried over credited to the stage it came from', () => {
    const context = mkdtempSync(join(tmpdir(), 'layerscope-twobuilders-'));
    writeFileSync(
      join(context, 'Dockerfile'),
      [
        'FROM layerscope-test/busybox:latest AS small',
        'RUN echo certificate > /cert.pem',
        'FROM layerscope-test/busybox:latest AS big',
        'RUN head -c 3000000 /dev/zero > /scratch.bin && echo built > /out',
        'FROM layerscope-test/busybox:latest',
        'COPY --from=small /cert.pem /cert.pem',
        'COPY --from=big /out /out',
        '',
      ].join('\n'),
    );
    const result = runBin(['build', '-t', 'layerscope-fixture/two-builders:latest', '--report', 'json', '--no-progress', context]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain('comparing with stages big, small');
    const comparison = JSON.parse(result.stdout).stageComparison as Comparison;
    expect(comparison.builder.reference).toBe('layerscope-fixture/two-builders:latest-big');
    expect(comparison.stages.map((stage) => stage.reference)).toEqual(['layerscope-fixture/two-builders:latest-big', 'layerscope-fixture/two-builders:latest-small']);
    expect(comparison.carriedOver.list.map((file) => [file.path, file.stage, file.builderPath])).toEqual([['cert.pem', 'small', 'cert.pem'], ['out', 'big', 'out']]);
    // What stayed in big: the 3,000,000-byte scratch file; in small, nothing of its own.
    expect(comparison.stages.map((stage) => stage.leftBehind.bytes)).toEqual([3_000_000, 0]);
  });
});

describe('layerscope build --ci', () => {
  it('gates the image it built: exit 1 over --max-size, 0 under it', () => {
    const context = mkdtempSync(join(tmpdir(), 'layerscope-buildci-'));
    writeFileSync(join(context, 'Dockerfile'), 'FROM layerscope-test/busybox:latest\nRUN head -c 2000000 /dev/zero > /big.bin\n');
    const tag = 'layerscope-fixture/build-ci:latest';
    const over = runBin(['build', '-t', tag, '--ci', '--max-size', '1MB', '--no-progress', context]);
    expect(over.status, over.stderr).toBe(1);
    // The image holds at least the 2,000,000 bytes written above, as the engine sizes it too.
    expect(engineSize(tag)).toBeGreaterThan(2_000_000);
    expect(over.stdout).toMatch(/^FAIL {2}--max-size {2}image [\d.]+ MB > limit 1MB {2}\(flag\)$/m);
    expect(over.stdout).toMatch(/^Result: FAIL /m);
    const under = runBin(['build', '-t', tag, '--ci', '--max-size', '1GB', '--no-progress', context]);
    expect(under.status, under.stderr).toBe(0);
    expect(under.stdout).toMatch(/^PASS {2}--max-size {2}image [\d.]+ MB <= limit 1GB {2}\(flag\)$/m);
  });
});
