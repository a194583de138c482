import { beforeAll, describe, expect, it } from 'vitest';
import { analyseImage, type ImageAnalysis } from '../../src/analysis/analyse.js';
import { compareVersions } from '../../src/analysis/compare-versions.js';
import { compareStages, type StageComparison } from '../../src/analysis/compare.js';
import { baseFromHistory } from '../../src/analysis/provenance.js';
import { mapSteps } from '../../src/build/step-map.js';
import { dir, file, parseSpec, type TarEntrySpec } from '../helpers/archives.js';
import { analyseStage, base, builderHistory, builderLayers, finalHistory, finalLayers } from '../helpers/stages.js';

const analyse = (layers: TarEntrySpec[][], history: string[], options: { hashContent?: boolean } = {}): Promise<ImageAnalysis> => analyseStage(layers, history, options);

describe('comparing a final stage with its builder', () => {
  let comparison: StageComparison;
  beforeAll(async () => {
    comparison = compareStages(await analyse(finalLayers, finalHistory), [{ name: 'builder', reference: 'app:builder', analysis: await analyse(builderLayers, builderHistory) }], 'app:final');
  });

  it('puts the sizes side by side, with the final image as a share of the builder', () => {
    expect(comparison.final).toEqual({ reference: 'app:final', imageBytes: 31_000, finalBytes: 31_000, layers: 3, files: 3 });
    expect(comparison.builder).toEqual({ reference: 'app:builder', imageBytes: 66_700, finalBytes: 66_700, layers: 4, files: 6 });
    expect(comparison.finalShareOfBuilder).toBeCloseTo(31_000 / 66_700, 10);
    expect(comparison.sharedLayers).toBe(1);
    expect(comparison.divergence).toEqual({
      final: { index: 1, instruction: 'COPY --from=builder /out/app /usr/local/bin/app' },
      builder: { index: 1, instruction: 'RUN apt-get update && apt-get install -y gcc' },
    });
  });

  it('reports what COPY --from brought, with its path in both images, by content digest', () => {
    expect(comparison.carriedOver.files).toBe(2);
    expect(comparison.carriedOver.bytes).toBe(29_000);
    expect(comparison.carriedOver.byPathAndSize).toBe(0);
    expect(comparison.carriedOver.list.map((f) => [f.path, f.stage, f.builderPath, f.bytes, f.layer, f.match])).toEqual([
      ['var/cache/apt/archives/gcc.deb', 'builder', 'var/cache/apt/archives/gcc.deb', 20_000, 2, 'digest'],
      ['usr/local/bin/app', 'builder', 'out/app', 9_000, 1, 'digest'],
    ]);
    expect(comparison.installedInBoth.files).toBe(0);
  });

  it('reports what stayed behind in the builder, by category, base files aside', () => {
    const byCategory = Object.fromEntries(comparison.leftBehind.categories.map((c) => [c.category, [c.bytes, c.files]]));
    // gcc (toolchain), the apt list (package cache), main.c (sources); the .deb and the app crossed over.
    expect(byCategory).toEqual({ toolchain: [30_000, 1], 'package-cache': [5_000, 1], sources: [700, 1] });
    expect(comparison.leftBehind.bytes).toBe(35_700);
  });

  it('flags the cache that still slipped into the final image, as copied from the builder', () => {
    const still = comparison.stillInFinal.filter((s) => s.finding.category === 'package-cache');
    expect(still).toHaveLength(1);
    expect(still[0]).toMatchObject({ fromBuilderFiles: 1, fromBuilderBytes: 20_000, finding: { bytes: 20_000, layer: { index: 2 } } });
  });

  it('falls back to path and size without digests, and says so', async () => {
    const plain = compareStages(
      await analyse(finalLayers, finalHistory, { hashContent: false }),
      [{ name: 'builder', reference: 'b', analysis: await analyse(builderLayers, builderHistory, { hashContent: false }) }],
      'f',
    );
    // /usr/local/bin/app is at another path in the builder: without digests it is not recognised.
    expect(plain.carriedOver.list.map((f) => [f.path, f.match])).toEqual([['var/cache/apt/archives/gcc.deb', 'path-size']]);
    expect(plain.carriedOver.byPathAndSize).toBe(1);
  });
});

describe('comparing two versions of an image (--compare)', () => {
  it('says how much smaller it got, what it removed and added by kind, and which findings are gone', async () => {
    const before = await analyse(
      [base, [dir('var'), dir('var/lib'), dir('var/lib/apt'), dir('var/lib/apt/lists'), file('var/lib/apt/lists/deb_Packages', 5_000), dir('app'), file('app/run', 800, 0o755), file('app/conf', 10)]],
      ['/bin/sh -c #(nop) ADD file:0a1b in / ', 'RUN apt-get update && apt-get install -y x'],
    );
    const after = await analyse(
      [base, [dir('app'), file('app/run', 800, 0o755), file('app/conf', 12), file('app/new', 50)]],
      ['/bin/sh -c #(nop) ADD file:0a1b in / ', 'RUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*'],
    );
    const versions = compareVersions(after, before, { current: 'app:pr', other: 'app:main' });
    // 2,000 + 800 + 12 + 50 against 2,000 + 5,000 + 800 + 10.
    expect(versions.sizeChange).toBe(2_862 - 7_810);
    expect(versions.removed).toMatchObject({ files: 1, bytes: 5_000, categories: [{ category: 'package-cache', bytes: 5_000 }] });
    expect(versions.added).toMatchObject({ files: 1, bytes: 50 });
    expect(versions.changed).toEqual({ files: 1, bytes: 12 });
    expect(versions.findingsGone.map((rule) => [rule.ruleId, rule.bytes])).toEqual([['apt-lists', 5_000]]);
    expect(versions.findingsNew).toEqual([]);
  });
});

describe('carried over by provenance, not by resemblance', () => {
  // Shared base (2,000 B). Builder: a RUN installs lib/libnode.so (50,000 B) and writes
  // app/dist/main.js (300 B). Final: its own RUN installs the same libnode.so, then COPY --from
  // brings main.js. Same digests for libnode in both, but only main.js came from the builder.
  const libnode = [dir('lib'), file('lib/libnode.so', 'n'.repeat(50_000))];
  const builder = [base, libnode, [dir('app'), dir('app/dist'), file('app/dist/main.js', 'm'.repeat(300))]];
  const builderSteps = ['/bin/sh -c #(nop) ADD file:0a1b in / ', 'RUN apt-get install -y nodejs', 'RUN node build.js'];
  // The final stage's own layers differ from the builder's (another RUN, another COPY): none shared but the base.
  const final = [base, [...libnode, file('lib/status', 'x')], [dir('app'), dir('app/dist'), file('app/dist/main.js', 'm'.repeat(300), 0o600)]];

  it('calls a RUN-made twin "installed in both stages", and carries over only what the COPY --from layer holds', async () => {
    const comparison = compareStages(
      await analyse(final, ['/bin/sh -c #(nop) ADD file:0a1b in / ', 'RUN apt-get install -y nodejs && rm -rf /var/lib/apt/lists/*', 'COPY --from=build /app/dist /app/dist']),
      [{ name: 'build', reference: 'app:build', analysis: await analyse(builder, builderSteps) }],
      'app:final',
    );
    expect(comparison.carriedOver).toMatchObject({ files: 1, bytes: 300, list: [{ path: 'app/dist/main.js', stage: 'build' }] });
    expect(comparison.installedInBoth).toMatchObject({ files: 1, bytes: 50_000, list: [{ path: 'lib/libnode.so', stage: 'build', layer: 1 }] });
  });

  it("takes the classic builder's COPY of unknown source as a candidate, but never a COPY --from another stage", async () => {
    const classic = await analyse(final, ['/bin/sh -c #(nop) ADD file:0a1b in / ', 'RUN apt-get install -y nodejs', '/bin/sh -c #(nop) COPY dir:5f0e in /app/dist ']);
    const stage = { name: 'build', reference: 'app:build', analysis: await analyse(builder, builderSteps) };
    expect(compareStages(classic, [stage], 'app:final').carriedOver.list.map((f) => f.path)).toEqual(['app/dist/main.js']);
    const other = await analyse(final, ['/bin/sh -c #(nop) ADD file:0a1b in / ', 'RUN apt-get install -y nodejs', 'COPY --from=deps /app/dist /app/dist']);
    expect(compareStages(other, [stage], 'app:final').carriedOver.files).toBe(0);
  });

  it('takes the origins the Dockerfile gives over the history (layerscope build)', async () => {
    // The classic builder's history says `COPY dir:… in /app/dist`; the Dockerfile says COPY --from=build.
    const steps = ['/bin/sh -c #(nop) ADD file:0a1b in / ', '/bin/sh -c apt-get install -y nodejs', '/bin/sh -c #(nop) COPY dir:5f0e in /app/dist '];
    const image = await parseSpec({ layout: 'docker-save', images: [{ layers: final, history: steps.map((createdBy) => ({ createdBy })) }] }, { hashContent: true });
    const text = 'FROM base AS build\nRUN node build.js\nFROM base\nRUN apt-get install -y nodejs\nCOPY --from=build /app/dist /app/dist\n';
    const withOrigins = analyseImage(image, { role: 'final', dockerfile: mapSteps(text, image.history, { file: 'Dockerfile' }) });
    expect(withOrigins.provenance.layers).toEqual([{ kind: 'base' }, { kind: 'run' }, { kind: 'stage', stage: 'build' }]);
    const stage = { name: 'build', reference: 'app:build', analysis: await analyse(builder, builderSteps) };
    expect(compareStages(withOrigins, [stage], 'app:final').carriedOver.list.map((f) => [f.path, f.stage])).toEqual([['app/dist/main.js', 'build']]);
  });

  it('credits a finding with carried-over bytes only for files a COPY --from brought, never for the shared base', async () => {
    // The base ships a 6,000 B apt list that the builder holds too (same layer): not "from the builder".
    const withList = [[...base, dir('var'), dir('var/lib'), dir('var/lib/apt'), dir('var/lib/apt/lists'), file('var/lib/apt/lists/x_Packages', 6000)]];
    const comparison = compareStages(
      await analyse([...withList, [dir('out'), file('out/app', 10)]], ['/bin/sh -c #(nop) ADD file:0a1b in / ', 'COPY --from=build /out /out']),
      [{ name: 'build', reference: 'b', analysis: await analyse([...withList, [dir('out'), file('out/app', 10), file('out/big', 500)]], ['/bin/sh -c #(nop) ADD file:0a1b in / ', 'RUN make']) }],
      'f',
    );
    expect(comparison.stillInFinal.find((item) => item.finding.ruleId === 'apt-lists')).toMatchObject({ fromBuilderFiles: 0, fromBuilderBytes: 0 });
  });
});

describe('several source stages', () => {
  it('compares with each, credits each carried file to its stage, and counts left-behind content once in the total', async () => {
    const shared = [dir('var'), dir('var/cache'), file('var/cache/tool.bin', 'c'.repeat(7000))];
    const deps = await analyse([base, [...shared, dir('m'), file('m/lib.js', 'l'.repeat(400))]], ['/bin/sh -c #(nop) ADD file:0a1b in / ', 'RUN install']);
    const build = await analyse([base, [...shared, dir('d'), file('d/out.js', 'o'.repeat(90)), file('d/tmp.o', 't'.repeat(2000))]], ['/bin/sh -c #(nop) ADD file:0a1b in / ', 'RUN build']);
    const final = await analyse(
      [base, [dir('app'), dir('app/m'), file('app/m/lib.js', 'l'.repeat(400))], [dir('app'), dir('app/d'), file('app/d/out.js', 'o'.repeat(90))]],
      ['/bin/sh -c #(nop) ADD file:0a1b in / ', 'COPY --from=deps /m /app/m', 'COPY --from=build /d/out.js /app/d/out.js'],
    );
    const comparison = compareStages(final, [{ name: 'deps', reference: 'app:deps', analysis: deps }, { name: 'build', reference: 'app:build', analysis: build }], 'app:final');
    expect(comparison.stages.map((stage) => [stage.name, stage.carriedOver.bytes, stage.leftBehind.bytes])).toEqual([
      ['build', 90, 9000], // tool.bin 7,000 + tmp.o 2,000
      ['deps', 400, 7000], // tool.bin
    ]);
    expect(comparison.carriedOver.list.map((file) => [file.path, file.stage])).toEqual([['app/m/lib.js', 'deps'], ['app/d/out.js', 'build']]);
    expect(comparison.leftBehind.bytes).toBe(9000); // tool.bin once, tmp.o
    expect(comparison.builder.reference).toBe('app:build');
  });
});

describe('several builders given with --builder (the history does not say which a COPY read)', () => {
  // Two builder images, both holding the same 500-byte library; only "small" holds cert.pem, and
  // "big" is the larger (a 9,000-byte scratch file). The final image's classic-builder COPY layer
  // holds the library and cert.pem: it read from small, so both files are small's.
  const lib = file('out/lib.so', 'L'.repeat(500));
  const big = [base, [dir('out'), lib, file('scratch.bin', 's'.repeat(9000))]];
  const small = [base, [dir('out'), lib, file('out/cert.pem', 'c'.repeat(40))]];
  const steps = ['/bin/sh -c #(nop) ADD file:0a1b in / ', '/bin/sh -c make'];
  const stagesOf = async () => [
    { name: 'big', reference: 'app:big', analysis: await analyse(big, steps) },
    { name: 'small', reference: 'app:small', analysis: await analyse(small, steps) },
  ];

  it('credits a COPY layer to the builder that holds all of its files, not to the largest that holds some', async () => {
    const final = await analyse([base, [dir('app'), file('app/lib.so', 'L'.repeat(500)), file('app/cert.pem', 'c'.repeat(40))]], ['/bin/sh -c #(nop) ADD file:0a1b in / ', '/bin/sh -c #(nop) COPY dir:77aa in /app ']);
    const comparison = compareStages(final, await stagesOf(), 'app:final');
    expect(comparison.carriedOver.list.map((f) => [f.path, f.stage])).toEqual([['app/lib.so', 'small'], ['app/cert.pem', 'small']]);
    expect(comparison.stages.map((stage) => [stage.name, stage.carriedOver.bytes])).toEqual([['big', 0], ['small', 540]]);
  });

  it('credits content every builder holds to each of them, and says so in the total', async () => {
    const final = await analyse([base, [dir('app'), file('app/lib.so', 'L'.repeat(500))]], ['/bin/sh -c #(nop) ADD file:0a1b in / ', '/bin/sh -c #(nop) COPY file:77aa in /app/lib.so ']);
    const comparison = compareStages(final, await stagesOf(), 'app:final');
    expect(comparison.carriedOver).toMatchObject({ files: 1, bytes: 500, list: [{ path: 'app/lib.so', stage: 'big or small' }] });
    expect(comparison.stages.map((stage) => [stage.name, stage.carriedOver.bytes])).toEqual([['big', 500], ['small', 500]]);
  });
});

describe('where the base image ends, from the history alone', () => {
  it('ends it at the last CMD that later layers follow, else after the import or root file system', async () => {
    const image = (steps: { createdBy: string; emptyLayer?: boolean }[], layers: number) =>
      parseSpec({ layout: 'docker-save', images: [{ layers: Array.from({ length: layers }, (_, i) => [file(`f${i}`, 1)]), history: steps }] });
    const hub = await image(
      [{ createdBy: '/bin/sh -c #(nop) ADD file:aa in / ' }, { createdBy: '/bin/sh -c apt-get update' }, { createdBy: '/bin/sh -c #(nop)  CMD ["bash"]', emptyLayer: true }, { createdBy: '/bin/sh -c make' }],
      3,
    );
    expect(baseFromHistory(hub)).toEqual({ layers: 2, method: 'history', sure: 'guess' });
    const imported = await image([{ createdBy: '' }, { createdBy: '/bin/sh -c make' }], 2);
    expect(baseFromHistory(imported)).toEqual({ layers: 1, method: 'history', sure: 'guess' });
    const alone = await image([{ createdBy: '' }], 1);
    expect(baseFromHistory(alone).layers).toBe(0);
  });
});
