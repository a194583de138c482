import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseImage } from '../../src/analysis/analyse.js';
import { anyOf } from '../../src/analysis/findings.js';
import { PATH_RULES } from '../../src/analysis/rules.js';
import { originOf } from '../../src/analysis/provenance.js';
import { dir, file, opaque, parseSpec, whiteout, type TarEntrySpec } from '../helpers/archives.js';

type Step = { readonly run: string; readonly entries: TarEntrySpec[] };

/** An image whose layers each come with the instruction that made them. */
async function analyse(steps: Step[], role: 'final' | 'builder' = 'final') {
  const image = await parseSpec({
    layout: 'docker-save',
    images: [{ layers: steps.map((step) => step.entries), history: steps.map((step) => ({ createdBy: step.run })) }],
  });
  return analyseImage(image, { role });
}

const base: Step = { run: '/bin/sh -c #(nop) ADD file:0123abcd in / ', entries: [dir('etc'), file('etc/passwd', 100)] };
const run = (command: string, entries: TarEntrySpec[]): Step => ({ run: `/bin/sh -c ${command}`, entries });
const copy = (entries: TarEntrySpec[]): Step => ({ run: '/bin/sh -c #(nop) COPY dir:feedbeef in /app ', entries });

/** The finding of a rule, reduced to what a reader checks. */
async function finding(steps: Step[], rule: string, role: 'final' | 'builder' = 'final') {
  const analysis = await analyse(steps, role);
  return analysis.findings.filter((f) => f.ruleId === rule).map((f) => ({ bytes: f.bytes, files: f.files, layer: f.layer.index, paths: f.paths.map((p) => p.path) }));
}

describe('path rules', () => {
  it('flags apt lists and .deb archives left by the RUN that installed them, with that RUN named', async () => {
    const steps = [
      base,
      run('apt-get update && apt-get install -y curl', [
        file('var/lib/apt/lists/deb.debian.org_Packages', 9000), file('var/lib/apt/lists/lock', 0),
        file('var/cache/apt/archives/curl_8.0_amd64.deb', 4000), file('var/cache/apt/archives/partial/x', 5),
        file('var/cache/apt/pkgcache.bin', 300),
      ]),
    ];
    expect(await finding(steps, 'apt-lists')).toEqual([{ bytes: 9000, files: 1, layer: 1, paths: ['var/lib/apt/lists/deb.debian.org_Packages'] }]);
    expect(await finding(steps, 'apt-archives')).toEqual([
      { bytes: 4300, files: 2, layer: 1, paths: ['var/cache/apt/archives/curl_8.0_amd64.deb', 'var/cache/apt/pkgcache.bin'] },
    ]);
    const analysis = await analyse(steps);
    const lists = analysis.findings.find((f) => f.ruleId === 'apt-lists');
    expect(lists?.advice).toContain('rm -rf /var/lib/apt/lists/*');
    expect(lists?.advice).toContain('RUN apt-get update && apt-get install -y curl');
  });

  it('does not advise --no-install-recommends to a RUN that already uses it', async () => {
    const docs = (command: string): Step => run(command, [dir('usr'), dir('usr/share'), dir('usr/share/doc'), file('usr/share/doc/gcc/copyright', 700)]);
    const advice = async (command: string) => (await analyse([base, docs(command)])).findings.find((f) => f.ruleId === 'docs')?.advice;
    expect(await advice('apt-get install -y gcc')).toContain('install with --no-install-recommends');
    const already = await advice('apt-get install -y --no-install-recommends gcc');
    expect(already).toContain('it already installs with --no-install-recommends');
    expect(already).not.toContain('install with --no-install-recommends,');
  });

  it('groups one RUN’s thousands of cache files into one finding', async () => {
    const many = Array.from({ length: 300 }, (_, i) => file(`root/.cache/pip/http/${i}`, 10));
    expect(await finding([base, run('pip install flask', many)], 'pip-cache')).toMatchObject([{ bytes: 3000, files: 300, layer: 1 }]);
  });

  it('recognises the caches of apk, dnf, npm, yarn, pnpm, go, maven, gradle and cargo', async () => {
    const cases: Array<[string, string]> = [
      ['var/cache/apk/APKINDEX.tar.gz', 'apk-cache'],
      ['var/cache/dnf/fedora.solv', 'dnf-yum-cache'],
      ['root/.npm/_cacache/index-v5/aa', 'npm-cache'],
      ['usr/local/share/.cache/yarn/v6/pkg.tgz', 'yarn-cache'],
      ['root/.local/share/pnpm/store/v3/files/00/x', 'pnpm-store'],
      ['root/.cache/go-build/00/abc-d', 'go-build-cache'],
      ['go/pkg/mod/cache/download/x.zip', 'go-module-cache'],
      ['root/.m2/repository/org/x.jar', 'maven-gradle-cache'],
      ['home/app/.gradle/caches/modules-2/x.jar', 'maven-gradle-cache'],
      ['usr/local/cargo/registry/cache/x.crate', 'cargo-cache'],
    ];
    const analysis = await analyse([base, run('build', cases.map(([path], i) => file(path, 100 + i)))]);
    const byPath = new Map(analysis.findings.flatMap((f) => f.paths.map((p) => [p.path, f.ruleId])));
    for (const [path, rule] of cases) expect(byPath.get(path), path).toBe(rule);
  });

  it('flags compilers, build tools, headers and static libraries in a runtime image, and names what to copy', async () => {
    const steps = [
      base,
      run('apt-get install -y build-essential', [
        file('usr/lib/gcc/x86_64-linux-gnu/12/cc1', 5000, 0o755), file('usr/bin/x86_64-linux-gnu-gcc-12', 800, 0o755),
        file('usr/bin/make', 200, 0o755), file('usr/include/stdio.h', 30), file('usr/lib/x86_64-linux-gnu/libc.a', 400),
      ]),
      run('make && cp hello /app/hello', [dir('app'), file('app/hello', 900, 0o755)]),
    ];
    const analysis = await analyse(steps);
    const rules = analysis.findings.map((f) => [f.ruleId, f.bytes]);
    expect(rules).toEqual(expect.arrayContaining([['c-toolchain', 5800], ['build-tools', 200], ['headers-static-libs', 430]]));
    expect(analysis.findings.find((f) => f.ruleId === 'c-toolchain')?.advice).toContain('likely artifacts to copy: /app/hello');
  });

  it('expects toolchains and caches in a builder image', async () => {
    const steps = [base, run('apt-get install -y gcc', [file('usr/lib/gcc/x86_64-linux-gnu/12/cc1', 5000), file('go/pkg/mod/x', 5)])];
    expect(await finding(steps, 'c-toolchain', 'builder')).toEqual([]);
    expect(await finding(steps, 'go-module-cache', 'builder')).toEqual([]);
    expect(await finding(steps, 'c-toolchain')).toHaveLength(1);
  });

  it('flags .git, .env and host node_modules only when a COPY from the context brought them', async () => {
    const context = [
      dir('app'), file('app/.git/objects/pack/p.pack', 700), file('app/.env', 20), file('app/.env.example', 20),
      file('app/node_modules/left-pad/index.js', 50), file('app/package.json', 10), file('app/.github/workflows/ci.yml', 30),
    ];
    const analysis = await analyse([base, copy(context)]);
    const rules = Object.fromEntries(analysis.findings.map((f) => [f.ruleId, f.paths.map((p) => p.path)]));
    expect(rules['git-dir']).toEqual(['app/.git/objects/pack/p.pack']);
    expect(rules['env-file']).toEqual(['app/.env']);
    expect(rules['host-node-modules']).toEqual(['app/node_modules/left-pad/index.js']);
    expect(rules['context-tests']).toEqual(['app/.github/workflows/ci.yml']);
    // The same files written by a RUN (npm ci, git clone) are not build context.
    const built = await analyse([base, run('git clone x /app && npm ci', context)]);
    expect(built.findings.map((f) => f.ruleId)).not.toContain('git-dir');
    expect(built.findings.map((f) => f.ruleId)).not.toContain('host-node-modules');
  });

  it('tells a context COPY from COPY --from, and leaves the classic builder\'s COPY of unknown source open', () => {
    expect(originOf('COPY dir:abc in /app')).toEqual({ kind: 'copy' });
    expect(originOf('COPY . /app')).toEqual({ kind: 'context' });
    expect(originOf('ADD file:0123abcd in /app')).toEqual({ kind: 'context' });
    expect(originOf('COPY --from=build /out /app')).toEqual({ kind: 'stage', stage: 'build' });
    expect(originOf('COPY --chown=app --from=build /out /app')).toEqual({ kind: 'stage', stage: 'build' });
    expect(originOf('RUN cp -r . /app')).toEqual({ kind: 'run' });
    expect(originOf('WORKDIR /app')).toEqual({ kind: 'other' });
  });

  it('flags __pycache__ only next to its .py source, temp files, logs and docs', async () => {
    const analysis = await analyse([
      base,
      run('pip install . && rm -rf build', [
        file('app/mod.py', 10), file('app/__pycache__/mod.cpython-311.pyc', 15), file('app/__pycache__/orphan.cpython-311.pyc', 15),
        file('tmp/build.log', 40), file('var/log/dpkg.log', 60), file('usr/share/doc/pkg/copyright', 70), file('usr/share/locale/de/LC_MESSAGES/x.mo', 80),
      ]),
    ]);
    const rules = Object.fromEntries(analysis.findings.map((f) => [f.ruleId, f.bytes]));
    expect(rules).toEqual({ pycache: 15, 'temp-files': 40, 'build-logs': 60, docs: 150 });
  });

  it('does not mistake near misses for findings', async () => {
    const analysis = await analyse([
      base,
      copy([
        dir('app'), file('app/.github/x', 1), file('app/.gitignore', 1), file('app/.gitkeep', 1), file('app/src/git/x.js', 1),
        file('app/environment.ts', 1), file('app/tmp.txt', 1), file('app/makefile.md', 1),
      ]),
      run('true', [file('usr/lib/x86_64-linux-gnu/libgcc_s.so.1', 1), file('usr/bin/gcc-wrapper-config', 1), file('usr/share/cmake.txt', 1), file('usr/lib/x86_64-linux-gnu/libz.so.1', 1)]),
    ]);
    expect(analysis.findings.map((f) => `${f.ruleId} ${f.paths.map((p) => p.path).join(',')}`)).toEqual(['context-tests app/.github/x']);
  });
});

describe('unreachable-byte findings', () => {
  it('names both instructions for a file deleted later, an overwrite and a chmod-only copy', async () => {
    const analysis = await analyse([
      base,
      run('curl -o /tmp/big.tgz x && make', [dir('tmp'), file('tmp/big.tgz', 5000), file('app.bin', 300, 0o644), file('conf', 'v1')]),
      run('rm /tmp/big.tgz', [dir('tmp'), whiteout('tmp/big.tgz')]),
      run('chmod 755 /app.bin', [file('app.bin', 300, 0o755)]),
      run('echo v22 > /conf', [file('conf', 'v22')]),
    ]);
    const hidden = analysis.findings
      .filter((f) => f.hiddenBy)
      .map((f) => ({ rule: f.ruleId, bytes: f.bytes, from: f.layer.instruction, by: f.hiddenBy?.instruction }));
    expect(hidden).toEqual([
      { rule: 'deleted-later', bytes: 5000, from: 'RUN curl -o /tmp/big.tgz x && make', by: 'RUN rm /tmp/big.tgz' },
      { rule: 'metadata-only', bytes: 300, from: 'RUN curl -o /tmp/big.tgz x && make', by: 'RUN chmod 755 /app.bin' },
      { rule: 'overwritten', bytes: 2, from: 'RUN curl -o /tmp/big.tgz x && make', by: 'RUN echo v22 > /conf' },
    ]);
    // Every unreachable byte has exactly one cause.
    expect(hidden.reduce((total, f) => total + f.bytes, 0)).toBe(analysis.figures.unreachableBytes);
    expect(analysis.layers.map((layer) => layer.hiddenBytes)).toEqual([0, 0, 5000, 300, 2]);
  });

  it('says a later step rewrote base files because it installed packages only when it did', async () => {
    const rewrite = async (command: string) =>
      (await analyse([base, run(command, [dir('etc'), file('etc/passwd', 120)])])).findings.find((f) => f.ruleId === 'overwritten')?.advice;
    expect(await rewrite('apt-get install -y curl')).toContain('(installing packages rewrites such files)');
    const useradd = await rewrite('useradd app');
    expect(useradd).toContain('writes them again, so both copies ship');
    expect(useradd).not.toContain('installing packages');
  });

  it('counts what an opaque directory replaced as deleted by that layer', async () => {
    const analysis = await analyse([
      base,
      run('mkdir /o && fill', [dir('o'), file('o/a', 70), file('o/b', 30)]),
      run('rm -rf /o && mkdir /o', [dir('o'), opaque('o'), file('o/a', 5)]),
    ]);
    // o/a is written again in the opaque layer: overwritten. o/b is only hidden: deleted.
    expect(analysis.findings.filter((f) => f.hiddenBy).map((f) => [f.ruleId, f.bytes, f.hiddenBy?.index])).toEqual([
      ['overwritten', 70, 2],
      ['deleted-later', 30, 2],
    ]);
  });

  it('counts removable bytes once for a file two rules match, and keeps them apart from unreachable bytes', async () => {
    // /tmp/.cache/pip/x is both a temp file and a pip cache: it counts once, for the first rule.
    const analysis = await analyse([base, run('pip install x', [file('tmp/.cache/pip/x', 100), file('tmp/y', 10)])]);
    expect(analysis.figures.removableBytes).toBe(110);
    expect(analysis.findings.reduce((total, f) => total + f.bytes, 0)).toBe(110);
  });
});

describe('advice for files a COPY brought', () => {
  it('says to copy less, not to clean up in a RUN that never ran here', async () => {
    const debs = [dir('var'), dir('var/cache'), dir('var/cache/apt'), dir('var/cache/apt/archives'), file('var/cache/apt/archives/gcc.deb', 4000)];
    const classic = await analyse([base, { run: '/bin/sh -c #(nop) COPY dir:74d8a5e7 in /var/cache/apt/archives ', entries: debs }]);
    const advice = classic.findings.find((f) => f.ruleId === 'apt-archives')?.advice ?? '';
    expect(advice).toBe(
      'layer 1 (`COPY dir:74d8a5e7 in /var/cache/apt/archives`) copies them in: if from the build context, exclude them in .dockerignore; if from another stage (COPY --from), copy a narrower path',
    );
    const buildkit = await analyse([base, { run: 'COPY --from=build /var/cache/apt/archives /var/cache/apt/archives # buildkit', entries: debs }]);
    expect(buildkit.findings.find((f) => f.ruleId === 'apt-archives')?.advice).toBe(
      'layer 1 (`COPY --from=build /var/cache/apt/archives /var/cache/apt/archives`) copies them from stage build: copy only what the image runs from build, not the directory that holds them',
    );
  });
});

describe('the rules’ one expression', () => {
  const patterns = PATH_RULES.flatMap((rule) => rule.patterns);
  const any = anyOf(patterns);
  // Segments the rules look for, and others, joined into paths.
  const segment = fc.constantFrom(
    'var', 'lib', 'apt', 'lists', 'lock', 'cache', 'archives', 'x.deb', 'pkgcache.bin', 'apk', 'etc', 'dnf', 'root', 'home', 'u',
    '.npm', '_cacache', '.cache', 'yarn', 'pip', 'go-build', 'go', 'pkg', 'mod', '.m2', 'repository', '.cargo', 'registry', '__pycache__',
    'm.pyc', 'usr', 'local', 'include', 'x.a', 'bin', 'javac', 'jmods', 'target', 'release', '.git', '.env', '.env.prod', 'node_modules',
    'tests', 'spec', 'Dockerfile', 'tmp', 'log', 'dpkg.log', 'share', 'doc', 'man', 'locale', 'locale.alias', 'make', 'cmake-3.2',
    'llvm-14', 'libLLVM-14.so', 'x86_64-linux-gnu', 'app', 'main.py', 'a', '',
  );
  const pathArb = fc.array(segment, { minLength: 1, maxLength: 7 }).map((parts) => parts.join('/'));

  it('matches exactly where some rule pattern does', () => {
    let matched = 0;
    fc.assert(
      fc.property(pathArb, (path) => {
        const some = patterns.some((pattern) => pattern.test(path));
        if (some) matched++;
        expect(any.test(path)).toBe(some);
      }),
      { numRuns: 5000 },
    );
    // Both answers came up often.
    expect(matched).toBeGreaterThan(500);
    expect(matched).toBeLessThan(4500);
  });

  it('matches every path a rule pattern matches, for each pattern', () => {
    for (const pattern of patterns) {
      fc.assert(
        // fast-check generates no lookaheads: without them, then kept where the pattern matches.
        fc.property(fc.stringMatching(new RegExp(pattern.source.replace(/\(\?![^)]*\)/g, ''))).filter((path) => pattern.test(path)), (path) => {
          expect(any.test(path)).toBe(true);
        }),
        { numRuns: 50 },
      );
    }
  });

  it('refuses a pattern whose meaning the alternation would change', () => {
    expect(() => anyOf([/^a(b)\1$/])).toThrow('cannot join');
    expect(() => anyOf([/^a$/i])).toThrow('cannot join');
    expect(anyOf([/(?<=a)b/, /^c(?!d)/]).test('cx')).toBe(true);
  });
});
