// The explorer's loading session on a real archive streamed slowly: layers become explorable as
// they finish, in order, before the whole image is read; rebuilding the explorable tree is
// throttled; the builder is read after the image.

import { describe, expect, it } from 'vitest';
import { readImageArchive } from '../src/archive/read-image-archive.js';
import { writeImageArchive } from '../src/archive/write-image-archive.js';
import type { ExploreSnapshot, createExploreSession as CreateSession } from '../src/explore-session.js';
import type { OpenedImage } from '../src/sources/open-image.js';
import { dir, file } from './helpers/archives.js';

// The session reads layers on a worker thread, which runs compiled code: use the build (made by
// the global setup), as test/archive/worker-layer-reader.test.ts does.
const { createExploreSession } = (await import(new URL('../dist/src/explore-session.js', import.meta.url).href)) as { createExploreSession: typeof CreateSession };

const layers = [0, 1, 2, 3].map((n) => [dir(`l${n}`), ...Array.from({ length: 20 }, (_, i) => file(`l${n}/f${i}`, 3000 + n))]);
const archive = await writeImageArchive({ layout: 'docker-save', images: [{ layers, history: layers.map((_, n) => ({ createdBy: `RUN step ${n}` })), tags: ['slow:latest'] }] });
const parsed = await readImageArchive((async function* () { yield archive; })(), { source: 'slow' });

/** The archive as an engine would stream it: in small pieces, with pauses, after a preview. */
function slowImage(): OpenedImage {
  return {
    target: { kind: 'engine', reference: 'slow:latest', name: 'slow:latest' },
    verify: false,
    preview: async () => ({ diffIds: parsed.layers.map((layer) => layer.diffId), history: layers.map((_, n) => ({ createdBy: `RUN step ${n}`, size: 1 })) }),
    async *archive() {
      for (let at = 0; at < archive.length; at += 8192) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        yield archive.subarray(at, at + 8192);
      }
    },
  };
}

async function load(treeEveryMs: number): Promise<ExploreSnapshot[]> {
  const session = createExploreSession({ target: { kind: 'engine', reference: 'slow:latest', name: 'slow:latest' }, open: async () => slowImage(), hashContent: true, treeEveryMs });
  const seen: ExploreSnapshot[] = [];
  session.subscribe(() => seen.push(session.getSnapshot()));
  await session.load();
  return seen;
}

describe('loading an image for the explorer', () => {
  it('makes layers explorable in order as they finish, before the whole image is read', async () => {
    const seen = await load(0);
    const loading = seen.filter((s) => s.status === 'loading');
    expect(loading[0]?.layers.map((l) => l.instruction)).toEqual(['RUN step 0', 'RUN step 1', 'RUN step 2', 'RUN step 3']);
    const ready = loading.map((s) => s.readyLayers);
    expect(ready).toEqual([...ready].sort((a, b) => a - b));
    expect(ready.filter((n) => n > 0 && n < 4).length).toBeGreaterThan(0);
    for (const s of loading) expect(s.index?.tree.layerCount ?? 0).toBe(s.readyLayers);
    const last = seen.at(-1);
    expect(last).toMatchObject({ status: 'ready', readyLayers: 4 });
    expect(last?.analysis?.figures.imageBytes).toBe(20 * (3000 + 3001 + 3002 + 3003));
    // The analysis takes over the tree of every layer built while loading: one tree held, not two.
    expect(loading.at(-1)?.index?.tree.layerCount).toBe(4);
    expect(last?.analysis?.tree).toBe(loading.at(-1)?.index?.tree);
  });

  it('rebuilds the explorable tree at most every treeEveryMs while layers arrive', async () => {
    const seen = await load(60_000);
    const rebuilt = new Set(seen.filter((s) => s.status === 'loading').map((s) => s.index));
    rebuilt.delete(undefined);
    // The first ready layer at once, then nothing until the image is read; then every layer's,
    // which the analysis takes over.
    expect([...rebuilt].map((index) => index?.tree.layerCount)).toEqual([1, 4]);
    expect(seen.at(-1)).toMatchObject({ status: 'ready', readyLayers: 4 });
  });
});
