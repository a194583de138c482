// Every source gives the same answer: the engine's export, a `docker save` file (plain and gzip),
// and OCI layouts made from it by skopeo (a directory with gzip layers, a tar with zstd layers),
// and skopeo's dir: layout (podman's docker-dir) in both manifest formats skopeo writes.
// And each fixture's figures equal what its Dockerfile says, computed by hand.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readImageArchive } from '../../src/archive/read-image-archive.js';
import { analyseImage } from '../../src/analysis/analyse.js';
import { jsonReportValue } from '../../src/report/json.js';
import { openArchiveFile } from '../../src/sources/archive-file.js';
import type { ParsedImage } from '../../src/model/types.js';
import type { FileKind } from '../../src/sources/image-target.js';
import { runBin } from '../helpers/run-bin.js';
import { dockerCli, FIXTURES, fixtureImage, parseFromEngine, requireEngine } from './engine.js';

const scratch = mkdtempSync(join(tmpdir(), 'layerscope-engine-'));
beforeAll(requireEngine);

async function parseFile(path: string, kind: FileKind): Promise<ParsedImage> {
  const file = await openArchiveFile(path, kind);
  return readImageArchive(file.open(), { source: `${kind}:${path}`, defaultPlatform: { os: 'linux', architecture: 'amd64' } });
}

/** The report minus what legitimately differs by source: how it was named, and blob names/layout. */
function comparable(image: ParsedImage, { keepBlobs }: { keepBlobs: boolean }): unknown {
  const report = jsonReportValue(analyseImage(image), {
    source: { kind: 'any', reference: 'any' },
    toolVersion: 'test',
    top: 1000,
  }) as { image: Record<string, unknown>; layers: Record<string, unknown>[] };
  if (!keepBlobs) {
    delete report.image.layout; // and skopeo rewrites the config, so the image ID changes too
    delete report.image.id;
    delete report.image.tags;
    for (const layer of report.layers) delete layer.blob;
  }
  return report;
}

describe('engine and docker save file', () => {
  for (const name of FIXTURES) {
    it(`give identical reports for the ${name} fixture, plain and gzip`, async () => {
      const ref = fixtureImage(name);
      const saved = join(scratch, `${name}.tar`);
      dockerCli(['save', '-o', saved, ref]);
      writeFileSync(`${saved}.gz`, gzipSync(dockerCli(['save', ref])));
      const fromEngine = comparable(await parseFromEngine(ref), { keepBlobs: true });
      expect(comparable(await parseFile(saved, 'docker-archive'), { keepBlobs: true })).toEqual(fromEngine);
      expect(comparable(await parseFile(`${saved}.gz`, 'docker-archive'), { keepBlobs: true })).toEqual(fromEngine);
    });
  }
});

describe('OCI layouts made by skopeo from a docker save file', () => {
  it('give the same layers, trees and figures, with gzip and zstd layers', async () => {
    for (const name of ['deletes', 'opaque', 'overwrites']) {
      const saved = join(scratch, `${name}-oci-src.tar`);
      dockerCli(['save', '-o', saved, fixtureImage(name)]);
      const dir = join(scratch, `${name}-oci-dir`);
      const zstdTar = join(scratch, `${name}-oci-zstd.tar`);
      execFileSync('skopeo', ['copy', '-q', `docker-archive:${saved}`, `oci:${dir}:latest`]);
      execFileSync('skopeo', ['copy', '-q', '--dest-compress-format', 'zstd', `docker-archive:${saved}`, `oci-archive:${zstdTar}:latest`]);
      const expected = comparable(await parseFile(saved, 'docker-archive'), { keepBlobs: false });
      const fromDir = await parseFile(dir, 'oci');
      const fromZstd = await parseFile(zstdTar, 'oci');
      expect(fromDir.layers.map((layer) => layer.contents.compression)).toContain('gzip');
      expect(fromZstd.layers.map((layer) => layer.contents.compression)).toContain('zstd');
      expect(comparable(fromDir, { keepBlobs: false })).toEqual(expected);
      expect(comparable(fromZstd, { keepBlobs: false })).toEqual(expected);
    }
  });
});

describe("skopeo's dir: layout (podman save --format docker-dir), Docker v2s2 and OCI manifests", () => {
  it('gives the same layers, trees and figures as the docker save file it was copied from', async () => {
    for (const name of ['deletes', 'opaque', 'overwrites']) {
      const saved = join(scratch, `${name}-dir-src.tar`);
      dockerCli(['save', '-o', saved, fixtureImage(name)]);
      const expected = comparable(await parseFile(saved, 'docker-archive'), { keepBlobs: false });
      for (const format of ['v2s2', 'oci']) {
        const dir = join(scratch, `${name}-dir-${format}`);
        execFileSync('skopeo', ['copy', '-q', '--format', format, `docker-archive:${saved}`, `dir:${dir}`]);
        const image = await parseFile(dir, 'dir');
        expect(image.layout).toBe('docker-dir');
        expect(comparable(image, { keepBlobs: false }), `${name} ${format}`).toEqual(expected);
      }
    }
  });

  it('stores a repeated layer once and reads it for both layers', async () => {
    // Not compared with the docker save read: there the repeat is a symlink, which dive's figures
    // count as an empty layer (as for a registry, the dir: layout has no symlink to follow).
    const saved = join(scratch, 'duplicate-layers-dir-src.tar');
    dockerCli(['save', '-o', saved, fixtureImage('duplicate-layers')]);
    const dir = join(scratch, 'duplicate-layers-dir');
    execFileSync('skopeo', ['copy', '-q', '--format', 'oci', `docker-archive:${saved}`, `dir:${dir}`]);
    const image = await parseFile(dir, 'dir');
    expect(image.layers[1]?.diffId).toBe(image.layers[2]?.diffId);
    expect(image.layers[1]?.blob).toBe(image.layers[2]?.blob);
    expect(image.layers[2]?.contents.entries.map((entry) => entry.path)).toEqual(['same.txt']);
  });

  it("reads what skopeo copies straight from the engine: the engine's diff IDs, and each layer's bytes as tar lists them", () => {
    const ref = 'layerscope-test/busybox:latest';
    const diffIds = JSON.parse(dockerCli(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', ref]).toString()) as string[];
    for (const format of ['v2s2', 'oci']) {
      const dir = join(scratch, `busybox-dir-${format}`);
      execFileSync('skopeo', ['copy', '-q', '--format', format, `docker-daemon:${ref}`, `dir:${dir}`]);
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { layers: { digest: string }[] };
      // Regular files' sizes as GNU tar lists them (`-` in the mode column), per layer blob.
      const tarBytes = manifest.layers.map((layer) =>
        execFileSync('tar', ['-tvf', join(dir, layer.digest.slice('sha256:'.length))], { encoding: 'utf8' })
          .split('\n')
          .filter((line) => line.startsWith('-'))
          .reduce((sum, line) => sum + Number(line.split(/\s+/)[2]), 0),
      );
      const run = runBin([`dir:${dir}`, '--report', 'json', '--no-progress']);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const report = JSON.parse(run.stdout) as { source: { kind: string }; image: { layout: string }; layers: { digest: string; bytes: number }[] };
      expect(report.source.kind).toBe('dir');
      expect(report.image.layout).toBe('docker-dir');
      expect(report.layers.map((layer) => layer.digest)).toEqual(diffIds);
      expect(report.layers.map((layer) => layer.bytes)).toEqual(tarBytes);
    }
  });
});

describe('fixture figures, from each Dockerfile by hand', () => {
  it('deletes: the deleted file and the removed directory are unreachable; dive sees only the file', async () => {
    const analysis = analyseImage(await parseFromEngine(fixtureImage('deletes')));
    expect(analysis.figures.unreachableBytes).toBe(100_000 + 1000 + 2000 + 4096);
    expect(analysis.dive.wastedBytes).toBe(100_000);
    expect(analysis.image.history.filter((step) => step.emptyLayer).map((step) => step.createdBy)).toContainEqual(
      expect.stringContaining('ENV STAGE=deletes'),
    );
    expect(analysis.layers[2]?.instruction).toBe('RUN rm /data/big.bin');
    expect(analysis.layers[4]?.changes.removed).toBe(5); // build, build/a.c, build/obj, and its two files
  });

  it('overwrites: the first data.bin is unreachable; the chmod copy keeps the hardlinked original alive', async () => {
    const analysis = analyseImage(await parseFromEngine(fixtureImage('overwrites')));
    expect(analysis.figures.unreachableBytes).toBe(3000);
    expect(analysis.dive.wastedBytes).toBe(3000 + 5000 + 2000 + 2000);
  });

  it('opaque: what the replaced directory held is unreachable, and the layer carries the opaque marker', async () => {
    const analysis = analyseImage(await parseFromEngine(fixtureImage('opaque')));
    expect(analysis.figures.unreachableBytes).toBe(5 + 1500);
    expect(analysis.layers[2]?.entries.opaqueDirs).toBe(1);
    expect(analysis.dive.wastedBytes).toBe(0);
  });

  it('duplicate-layers: the symlinked layer is read like the one it links to', async () => {
    const image = await parseFromEngine(fixtureImage('duplicate-layers'));
    expect(image.layers[1]?.diffId).toBe(image.layers[2]?.diffId);
    expect(image.layers[1]?.blob).not.toBe(image.layers[2]?.blob);
    expect(image.layers[2]?.contents.entries.map((entry) => entry.path)).toEqual(['same.txt']);
  });

  it('multistage: the final image holds the copied artifact and nothing of the builder', async () => {
    const analysis = analyseImage(await parseFromEngine(fixtureImage('multistage')));
    const paths = new Map(analysis.largestFiles().map((file) => [file.path, file.bytes]));
    expect(paths.get('app/app')).toBe('#!/bin/sh\necho hello from app\n'.length);
    expect(paths.get('app/data.bin')).toBe(5000);
    expect([...paths.keys()].some((path) => path.startsWith('src/') || path.startsWith('tmp/cache'))).toBe(false);
    expect(analysis.figures.unreachableBytes).toBe(0);
  });
});
