// A ready explorer session over an analysed image, and waiting for frames (never fixed sleeps).
import type { ImageAnalysis } from '../../src/analysis/analyse.js';
import type { StageComparison } from '../../src/analysis/compare.js';
import { blobsOfLayer, readFileContent } from '../../src/archive/read-file-content.js';
import { CONTENT_LIMIT, type ExploreSession, type ExploreSnapshot } from '../../src/explore-session.js';
import { chunked } from './archives.js';
import { indexTree, warmTreeIndex } from '../../src/model/tree-view.js';

/** A session over an analysed image; with its archive, the file viewer reads real content from it. */
export function readySession(analysis: ImageAnalysis, comparison?: StageComparison | ExploreSnapshot['comparison'], archive?: Buffer): ExploreSession {
  const snapshot: ExploreSnapshot = {
    status: 'ready',
    reference: 'test-image',
    progress: { archiveBytes: 0, blobsDone: analysis.layers.length },
    layers: analysis.layers.map((layer) => ({ index: layer.index, diffId: layer.diffId, instruction: layer.instruction, bytes: layer.bytes, ready: true })),
    readyLayers: analysis.layers.length,
    index: warmTreeIndex(indexTree(analysis.tree, analysis.flaggedPaths)),
    analysis,
    ...(comparison ? { comparison: 'status' in comparison ? comparison : { status: 'ready' as const, value: comparison } } : {}),
  };
  return {
    subscribe: () => () => {},
    getSnapshot: () => snapshot,
    load: async () => {},
    readContent: async (layer, path) => {
      if (!archive) return undefined;
      return readFileContent(chunked(archive), blobsOfLayer(analysis.image, layer), path, CONTENT_LIMIT);
    },
  };
}

/** Resolves with the first frame `accept` takes, polling between event-loop turns. */
export async function frameWhere(lastFrame: () => string | undefined, accept: (frame: string) => boolean, timeoutMs = 3000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = lastFrame() ?? '';
    if (accept(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`no frame matched within ${timeoutMs} ms; last frame:\n${frame}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
