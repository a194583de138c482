// The explorer's loading session on a real archive streamed slowly: layers become explorable as
// they finish, in order, before the whole image is read; the explorable tree grows a layer at a
// time; builders are read beside the image.

import { describe, expect, it } from 'vitest';
import { readImageArchive } from '../src/archive/read-image-archive.js';
import { writeImageArchive } from '../src/archive/write-image-archive.js';
import type { ExploreSnapshot, createExploreSession as CreateSession } from '../src/explore-session.js';
import type { OpenedImage } from '../src/sources/open-image.js';
import { dir, file } from './helpers/archives.js';

const { InvalidArchiveError } = (await import(new URL('../dist/src/errors.js', import.meta.url).href)) as typeof import('../src/errors.js');

// The session reads layers on a worker thread, which runs compiled code: use the build (made by
// the global setup), as test/archive/worker-layer-reader.test.ts does.
const { createExploreSession } = (await import(new URL('../dist/src/explore-session.js', import.meta.url).href)) as { createExploreSession: typeof CreateSession };

const layers = [0, 1, 2, 3].map((n) => [dir(`l${n}`), ...Array.from({ length: 20 }, (_, i) => file(`l${n}/f${i}`, 3000 + n))]);
const archive = await writeImageArchive({ layout: 'docker-save', images: [{ layers, history: layers.map((_, n) => ({ createdBy: `RUN step ${n}` })), tags: ['slow:latest'] }] });
const parsed = await readImageArchive((async function* () { yield archive; })(), { source: 'slow' });

/** The archive as an engine would stream it: in small pieces, with pauses, after a preview. */
function slowImage(watch: { closed?: boolean; failAt?: number } = {}): OpenedImage {
  return {
    target: { kind: 'engine', reference: 'slow:latest', name: 'slow:latest' },
    verify: false,
    preview: async () => ({ diffIds: parsed.layers.map((layer) => layer.diffId), history: layers.map((_, n) => ({ createdBy: `RUN step ${n}`, size: 1 })) }),
    async *archive() {
      try {
        for (let at = 0; at < archive.length; at += 8192) {
          await new Promise((resolve) => setTimeout(resolve, 2));
          if (watch.failAt !== undefined && at >= watch.failAt) throw new InvalidArchiveError('slow:latest', 'it ends early (truncated?)');
          yield archive.subarray(at, at + 8192);
        }
      } finally {
        watch.closed = true;
      }
    },
  };
}

async function load(): Promise<ExploreSnapshot[]> {
  const session = createExploreSession({ target: { kind: 'engine', reference: 'slow:latest', name: 'slow:latest' }, open: async () => slowImage(), hashContent: true });
  const seen: ExploreSnapshot[] = [];
  session.subscribe(() => seen.push(session.getSnapshot()));
  await session.load();
  return seen;
}

describe('loading an image for the explorer', () => {
  it('makes layers explorable in order as they finish, before the whole image is read', async () => {
    const seen = await load();
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
    expect(last?.index?.touchedBy).toBe(loading.at(-1)?.index?.touchedBy);
  });

  it('grows one tree by each layer as it becomes explorable, instead of building it again', async () => {
    const seen = await load();
    const grown = [...new Set(seen.filter((s) => s.status === 'loading').map((s) => s.index))].filter((index) => index !== undefined);
    // A tree per layer, each holding the layers ready then, all on the same nodes.
    expect(grown.map((index) => index?.tree.layerCount)).toEqual([1, 2, 3, 4]);
    expect(new Set(grown.map((index) => index?.tree.root)).size).toBe(1);
    expect(seen.at(-1)).toMatchObject({ status: 'ready', readyLayers: 4 });
    expect(seen.at(-1)?.analysis?.tree.root).toBe(grown[0]?.tree.root);
  });

  it('reads the builder beside the image: its progress shows while the image still loads', async () => {
    const builder = { name: 'build', target: { kind: 'engine', reference: 'build:1', name: 'build:1' } as const };
    const session = createExploreSession({ target: { kind: 'engine', reference: 'slow:latest', name: 'slow:latest' }, open: async () => slowImage(), hashContent: true, builders: [builder] });
    const seen: ExploreSnapshot[] = [];
    session.subscribe(() => seen.push(session.getSnapshot()));
    await session.load();
    const beside = seen.filter((s) => s.status === 'loading' && s.comparison?.status === 'loading' && (s.comparison.progress?.archiveBytes ?? 0) > 0);
    expect(beside.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toMatchObject({ status: 'ready', comparison: { status: 'ready' } });
  });

  it('stops reading the builder when the image cannot be read, and fails with the image’s error', async () => {
    const builder = { name: 'build', target: { kind: 'engine', reference: 'build:1', name: 'build:1' } as const };
    const watch = { closed: false };
    const open = async (target: { reference: string }) => (target.reference === 'build:1' ? slowImage(watch) : slowImage({ failAt: 16 * 1024 }));
    const session = createExploreSession({ target: { kind: 'engine', reference: 'slow:latest', name: 'slow:latest' }, open, hashContent: true, builders: [builder] });
    await session.load();
    expect(session.getSnapshot()).toMatchObject({ status: 'failed', error: { message: 'slow:latest is not a readable image archive: it ends early (truncated?)' } });
    // load() resolved after the builder's read stopped: its source was let go before its end.
    expect(watch.closed).toBe(true);
    expect(session.getSnapshot().comparison?.status).toBe('loading');
  });
});
