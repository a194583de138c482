// A Node app built the usual way (build-fixtures/node-app): deps and build stages on a Node
// installed with apt, and a runtime stage that installs its own Node, then copies node_modules from
// deps and dist from build. What the comparison may call "carried over" is what the two COPY --from
// brought; the runtime's own Node is "installed in both"; the base is the Dockerfile's FROM. Every
// figure is measured apart from layerscope: sizes with stat and tar inside and out of containers.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/run-bin.js';
import { inContainer, requireEngine } from './engine.js';

const dir = fileURLToPath(new URL('./build-fixtures/node-app/', import.meta.url));
const FINAL = 'layerscope-fixture/node-app:latest';
const BASE = 'layerscope-test/debian:bookworm';

interface Matched {
  path: string;
  stage: string;
  builderPath: string;
  bytes: number;
}
interface Totals {
  files: number;
  bytes: number;
  list: Matched[];
}
interface Categories {
  bytes: number;
  files: number;
  categories: { category: string; bytes: number; files: number }[];
}
interface Report {
  baseImage: {
    layers: number;
    name: string | null;
    method: string;
    sure: string;
    base: { bytes: number; removableBytes: number };
    own: { bytes: number; removableBytes: number; unreachableBytes: number };
  };
  figures: { imageBytes: number; removableBytes: number };
  layers: { index: number; origin: { kind: string; stage: string | null } }[];
  findings: { rule: string; layer: { index: number }; bytes: number; advice: string; fromBase: boolean }[];
  stageComparison: {
    stages: { name: string; reference: string; carriedOver: Totals; installedInBoth: Totals; leftBehind: Categories }[];
    carriedOver: Totals;
    installedInBoth: Totals;
    leftBehind: Categories;
    stillInFinal: { fromBuilderBytes: number }[];
  };
}

/** Σ sizes of the regular files under some paths, in a container of the image. */
const fileBytes = (ref: string, paths: string): number =>
  Number(inContainer(ref, `find ${paths} -type f -exec stat -c %s {} + | awk '{ s += $1 } END { print s + 0 }'`).trim());

/** Σ sizes of the regular files in a single-layer image's layer, as tar lists them from `docker save` (hardlinks 0). */
function savedLayerFileBytes(ref: string): number {
  const listing = execFileSync('sh', ['-c', `docker save ${ref} | tar -xOf - --wildcards '*/layer.tar' | tar -tvf -`], { maxBuffer: 1 << 28 }).toString();
  return listing.split('\n').reduce((sum, line) => (line.startsWith('-') ? sum + Number(line.split(/\s+/)[2]) : sum), 0);
}

describe('layerscope build on a Node app: deps, build, and a runtime that installs its own Node', () => {
  let report: Report;
  let stderr: string;
  beforeAll(async () => {
    await requireEngine();
    const result = runBin(['build', '-t', FINAL, '--network', 'host', '--report', 'json', '--no-progress', '--top', '50', dir], {}, undefined, 290_000);
    expect(result.status, result.stderr).toBe(0);
    report = JSON.parse(result.stdout) as Report;
    stderr = result.stderr;
  }, 300_000);

  it('compares the final image with both stages it copies from, by name', () => {
    expect(stderr).toMatch(/comparing with stages (build, deps|deps, build)/);
    expect(report.stageComparison.stages.map((stage) => stage.name).sort()).toEqual(['build', 'deps']);
  });

  it('carries over only what COPY --from brought: node_modules from deps, dist from build', () => {
    const { carriedOver } = report.stageComparison;
    const paths = carriedOver.list.map((file) => `${file.stage}:/${file.path}`).sort();
    expect(paths.filter((path) => !/^deps:\/app\/node_modules\/|^build:\/app\/dist\//.test(path))).toEqual([]);
    expect(carriedOver.files).toBe(8);
    expect(carriedOver.bytes).toBe(fileBytes(FINAL, '/app/node_modules /app/dist'));
    const perStage = Object.fromEntries(report.stageComparison.stages.map((stage) => [stage.name, stage.carriedOver.bytes]));
    expect(perStage).toEqual({ deps: fileBytes(FINAL, '/app/node_modules'), build: fileBytes(FINAL, '/app/dist') });
  });

  it("calls the runtime's own Node installed in both stages, never carried over", () => {
    const { installedInBoth, carriedOver } = report.stageComparison;
    const libnode = installedInBoth.list.find((file) => file.path === 'usr/lib/x86_64-linux-gnu/libnode.so.108');
    expect(libnode?.bytes).toBe(fileBytes(FINAL, '/usr/lib/x86_64-linux-gnu/libnode.so.108'));
    expect(installedInBoth.list.map((file) => file.path)).toContain('usr/lib/x86_64-linux-gnu/libicudata.so.72.1');
    expect(carriedOver.list.some((file) => !file.path.startsWith('app/'))).toBe(false);
    // Nothing of the installed set pairs different files (templates.dat with templates.dat-old).
    expect(installedInBoth.list.filter((file) => file.path !== file.builderPath)).toEqual([]);
  });

  it('leaves the npm cache behind in deps alone, and counts content in both stages once in the total', () => {
    const deps = report.stageComparison.stages.find((stage) => stage.name === 'deps');
    const build = report.stageComparison.stages.find((stage) => stage.name === 'build');
    const cache = (stage: typeof deps) => stage?.leftBehind.categories.find((c) => c.category === 'language-cache')?.bytes ?? 0;
    expect(cache(deps)).toBe(fileBytes(`${FINAL}-deps`, '/root/.npm'));
    expect(cache(build)).toBe(0);
    const lists = fileBytes(`${FINAL}-deps`, '/var/lib/apt/lists');
    const packageCache = report.stageComparison.leftBehind.categories.find((c) => c.category === 'package-cache');
    // The apt lists are in deps and build alike (the same node stage): once in the total.
    expect(packageCache?.bytes).toBeGreaterThanOrEqual(lists);
    expect(packageCache?.bytes).toBeLessThan(2 * lists);
  });

  it('credits no finding with carried-over bytes that did not come through a COPY --from', () => {
    expect(report.stageComparison.stillInFinal.map((item) => item.fromBuilderBytes)).toEqual(report.stageComparison.stillInFinal.map(() => 0));
  });

  it('ends the base where the Dockerfile\'s FROM does, and splits the bytes there', () => {
    expect(report.baseImage).toMatchObject({ layers: 1, name: BASE, method: 'dockerfile', sure: 'certain' });
    expect(report.baseImage.base.bytes).toBe(savedLayerFileBytes(BASE));
    expect(report.baseImage.base.bytes + report.baseImage.own.bytes).toBe(report.figures.imageBytes);
    expect(report.layers.map((layer) => layer.origin)).toEqual([
      { kind: 'base', stage: null },
      { kind: 'run', stage: null },
      { kind: 'other', stage: null },
      { kind: 'stage', stage: 'deps' },
      { kind: 'stage', stage: 'build' },
    ]);
  });

  it('advises by origin: the base layer about the base, the RUN about that RUN, and no .dockerignore for node_modules from deps', () => {
    expect(report.findings.map((finding) => finding.rule)).not.toContain('host-node-modules');
    const docs = report.findings.find((finding) => finding.rule === 'docs' && finding.layer.index === 0);
    expect(docs?.fromBase).toBe(true);
    expect(docs?.advice).toMatch(/^these come with the base image \(layerscope-test\/debian:bookworm\), layer 0: no edit of your Dockerfile removes them/);
    const debs = report.findings.find((finding) => finding.rule === 'apt-archives');
    expect(debs?.layer.index).toBe(1);
    expect(debs?.advice).toContain('add `&& apt-get clean` at the end of that same RUN');
    expect(debs?.bytes).toBe(fileBytes(FINAL, "/var/cache/apt \\( -name '*.deb' -o -name '*pkgcache.bin' \\)"));
    // The headline leaves out what only another base removes.
    expect(report.baseImage.own.removableBytes + report.baseImage.base.removableBytes).toBe(report.figures.removableBytes);
  });
});

describe('the advice for the apt caches, applied to the Dockerfile', () => {
  it('takes their bytes out of the image when the runtime RUN ends with apt-get clean', () => {
    const before = JSON.parse(runBin([FINAL, '--report', 'json', '--no-progress'], {}, undefined, 290_000).stdout) as Report;
    const debs = before.findings.find((finding) => finding.rule === 'apt-archives');
    expect(debs?.advice).toContain('add `&& apt-get clean` at the end of that same RUN');
    // The fixture's context with the advice applied to the runtime stage's RUN, and nothing else.
    const context = mkdtempSync(join(tmpdir(), 'layerscope-advice-'));
    cpSync(dir, context, { recursive: true });
    const dockerfile = join(context, 'Dockerfile');
    const text = readFileSync(dockerfile, 'utf8');
    const fixed = text.replace('nodejs && rm -rf /var/lib/apt/lists/*', 'nodejs && rm -rf /var/lib/apt/lists/* && apt-get clean');
    expect(fixed).not.toBe(text);
    writeFileSync(dockerfile, fixed);
    const result = runBin(['build', '-t', 'layerscope-fixture/node-app-clean:latest', '--network', 'host', '--report', 'json', '--no-progress', context], {}, undefined, 590_000);
    expect(result.status, result.stderr).toBe(0);
    const after = JSON.parse(result.stdout) as Report;
    expect(after.findings.map((finding) => finding.rule)).not.toContain('apt-archives');
    // The image lost at least those bytes (the install itself is the same packages).
    expect(before.figures.imageBytes - after.figures.imageBytes).toBeGreaterThanOrEqual(debs?.bytes ?? Number.POSITIVE_INFINITY);
    expect(fileBytes('layerscope-fixture/node-app-clean:latest', '/var/cache/apt/archives -name "*.deb"')).toBe(0);
  }, 900_000);
});
