// Findings on a real single-stage C image (apt-get install of gcc over the Debian mirror, the
// build context copied in with a .git directory, a compile, leftovers). Every expected byte count
// is measured independently: inside a container of the image with find/stat, or from the
// fixture's own files in this repository.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyseImage, type ImageAnalysis } from '../../src/analysis/analyse.js';
import { fixtureImage, inContainer, parseFromEngine, requireEngine } from './engine.js';

const ref = fixtureImage('c-single-stage');
const fixtureDir = fileURLToPath(new URL('./fixtures/c-single-stage/', import.meta.url));
let analysis: ImageAnalysis;

beforeAll(async () => {
  await requireEngine();
  analysis = analyseImage(await parseFromEngine(ref));
});

/** Σ sizes of the regular files `find ARGS` lists inside a container of the image. */
function bytesInImage(findArgs: string): number {
  const out = inContainer(ref, `find ${findArgs} -type f -exec stat -c %s {} + | awk '{ s += $1 } END { print s + 0 }'`);
  return Number(out.trim());
}

function filesIn(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((total, entry) => total + statSync(join(entry.parentPath, entry.name)).size, 0);
}

const only = (rule: string) => {
  const found = analysis.findings.filter((finding) => finding.ruleId === rule);
  expect(found, rule).toHaveLength(1);
  return found[0] as NonNullable<(typeof found)[0]>;
};

describe('findings on a single-stage C image', () => {
  it('names the apt lists with their bytes and the RUN that left them, and how to fix it', () => {
    const lists = only('apt-lists');
    expect(lists.bytes).toBe(bytesInImage("/var/lib/apt/lists ! -name lock"));
    expect(lists.bytes).toBeGreaterThan(1_000_000);
    expect(lists.layer).toEqual({ index: 1, instruction: 'RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev make' });
    expect(lists.advice).toContain('rm -rf /var/lib/apt/lists/*');
  });

  it('names the downloaded .deb archives with their bytes', () => {
    const archives = only('apt-archives');
    expect(archives.bytes).toBe(bytesInImage("/var/cache/apt -maxdepth 2 \\( -name '*.deb' -o -name 'pkgcache.bin' -o -name 'srcpkgcache.bin' \\)"));
    expect(archives.paths.some((item) => /gcc-12_.*\.deb$/.test(item.path))).toBe(true);
  });

  it('names the compiler toolchain with its bytes, and the binary worth copying', () => {
    const compilers = only('c-toolchain');
    expect(compilers.paths.map((item) => item.path)).toContain('usr/lib/gcc/x86_64-linux-gnu/12/cc1');
    expect(compilers.bytes).toBeGreaterThanOrEqual(bytesInImage('/usr/lib/gcc /usr/libexec/gcc'));
    expect(compilers.advice).toContain('likely artifacts to copy: ');
    expect(compilers.advice).toContain('/usr/local/bin/hello');
    const headers = only('headers-static-libs');
    // Static libraries inside the compiler's own folder (libgcc.a…) count for the toolchain rule,
    // which comes first in the table.
    expect(headers.bytes).toBe(
      bytesInImage("/ -xdev \\( -path '/usr/include/*' -o -path '/usr/local/include/*' -o \\( -name '*.a' \\( -path '/usr/lib*' -o -path '/usr/local/lib*' -o -path '/lib*' \\) ! -path '/usr/lib/gcc/*' \\) \\)"),
    );
    expect(headers.bytes).toBeGreaterThan(1_000_000);
    expect(only('build-tools').paths.map((item) => item.path)).toContain('usr/bin/make');
  });

  it('names the .git directory the COPY brought in, with exactly the fixture’s bytes', () => {
    const git = only('git-dir');
    expect(git.bytes).toBe(filesIn(join(fixtureDir, 'git-dir')));
    expect(git.layer.instruction).toMatch(/^COPY dir:[0-9a-f]+ in \/src\/\.git/);
  });

  it('names both instructions of a file deleted later, an overwrite and a chmod-only copy', () => {
    const all = analysis.findings.filter((finding) => finding.hiddenBy);
    // apt-get in layer 1 also rewrites base files (dpkg status, debconf caches): real findings too,
    // every unreachable byte has one cause.
    expect(all.reduce((total, finding) => total + finding.bytes, 0)).toBe(analysis.figures.unreachableBytes);
    expect(all.filter((finding) => finding.layer.index === 0).every((finding) => finding.hiddenBy?.index === 1)).toBe(true);
    const hidden = all
      .filter((finding) => finding.layer.index > 0)
      .map((finding) => [finding.ruleId, finding.bytes, finding.paths.map((item) => item.path), finding.layer.instruction, finding.hiddenBy?.instruction]);
    expect(hidden).toEqual([
      ['deleted-later', 200_000, ['tmp/scratch.bin'], 'RUN head -c 200000 /dev/zero > /tmp/scratch.bin && echo v1 > /src/VERSION', 'RUN rm /tmp/scratch.bin && echo version-2 > /src/VERSION'],
      ['metadata-only', statSync(join(fixtureDir, 'hello.c')).size, ['src/hello.c'], expect.stringMatching(/^COPY dir:/), 'RUN chmod 600 /src/hello.c'],
      ['overwritten', 'v1\n'.length, ['src/VERSION'], 'RUN head -c 200000 /dev/zero > /tmp/scratch.bin && echo v1 > /src/VERSION', 'RUN rm /tmp/scratch.bin && echo version-2 > /src/VERSION'],
    ]);
  });

  it('makes removable bytes the sum of the final-tree findings', () => {
    const finalTree = analysis.findings.filter((finding) => !finding.hiddenBy);
    expect(analysis.figures.removableBytes).toBe(finalTree.reduce((total, finding) => total + finding.bytes, 0));
    expect(analysis.figures.removableBytes).toBeGreaterThan(20_000_000);
  });
});
