import { beforeAll, describe, expect, it } from 'vitest';
import { analyseImage, type ImageAnalysis } from '../../src/analysis/analyse.js';
import { compareVersions } from '../../src/analysis/compare-versions.js';
import { compareStages, type StageComparison } from '../../src/analysis/compare.js';
import { dir, file, type TarEntrySpec } from '../helpers/archives.js';
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
