// What a read keeps in the layer cache as it goes: each parsed layer's index, written while the
// rest of the archive is read and sealed once the layout names its diff ID; each layer member's
// fingerprint; and which layers the read took from the cache (by fingerprint), checked against
// the layout when their bytes were not hashed.

import { notTheKnownLayer, type KnownLayer, type KnownLayers } from '../archive/known-layers.js';
import { normalisePath } from '../archive/paths.js';
import type { LayerCache, LayersRead, StagedLayer } from '../cache/layer-cache.js';
import type { LayerContents, ParsedImage } from '../model/types.js';

/** Each layer as it finishes, before the layout is known: the explorer's progressive loading. */
export interface LayerWatch {
  readonly onLayer: (blob: string, contents: LayerContents) => void;
  /** Check layers against their diff IDs even where the source would not (placing them by diff ID needs it). */
  readonly verify: boolean;
}

/** The caller's watch, and the cache staging each layer's index as it is parsed. */
export function layerWatch(watch: LayerWatch | undefined, keeping: KeptLayers | undefined): LayerWatch | undefined {
  if (!keeping) return watch;
  return {
    onLayer: (blob, contents) => {
      keeping.parsed(blob, contents);
      watch?.onLayer(blob, contents);
    },
    verify: watch?.verify ?? false,
  };
}

export interface KeptLayers {
  /** The known layers to give the parser: the cache's, looked up by fingerprint when `shortcuts`, confirmed by the layout when `byLayout`. */
  known(shortcuts: boolean, byLayout: boolean): KnownLayers;
  /** Throws NOT_THE_KNOWN_LAYER when the layout gave a member taken from the cache another diff ID. */
  check(image: ParsedImage): void;
  /** A layer finished: its index is written now, beside the rest of the read. */
  parsed(member: string, contents: LayerContents): void;
  /** A new read of the archive: what the last one staged is dropped. */
  restart(): void;
  /** Keeps the image's record, its layers (sealing what was staged) and their fingerprints. */
  keep(cache: LayerCache, key: string, image: ParsedImage): Promise<void>;
  abort(): Promise<void>;
}

/** What a read keeps in the cache: each parsed layer's index, written as the read goes on, and each layer member's fingerprint. */
export function keptLayers(cache: LayerCache, hashed: boolean): KeptLayers {
  const fingerprints = new Map<string, string>();
  let staged = new Map<string, StagedLayer>();
  // Layers the read took from the cache (nothing to write), and the diff ID each member was taken for.
  const fromCache = new WeakSet<LayerContents>();
  const takenFor = new Map<string, string>();
  const abort = async (): Promise<void> => {
    const dropped = [...staged.values()];
    staged = new Map();
    for (const layer of dropped) await layer.abort();
  };
  return {
    known(shortcuts, byLayout) {
      const find = async (fingerprint: string, member: string): Promise<KnownLayer | undefined> => {
        const found = await cache.findFingerprint(fingerprint, hashed);
        if (!found) return undefined;
        // Unhashed, its diff ID is the layout's to say, as for a layer parsed unverified.
        const { diffId: _, ...unhashed } = found.contents;
        const contents = byLayout ? unhashed : found.contents;
        fromCache.add(contents);
        takenFor.set(normalisePath(member), found.diffId);
        return { diffId: found.diffId, contents };
      };
      return { seen: (member, fingerprint) => void fingerprints.set(normalisePath(member), fingerprint), ...(shortcuts ? { find, byLayout } : {}) };
    },
    check(image) {
      for (const layer of image.layers) {
        const taken = fromCache.has(layer.contents) ? takenFor.get(normalisePath(layer.blob)) : undefined;
        if (taken !== undefined && taken !== layer.diffId) throw notTheKnownLayer();
      }
    },
    parsed(member, contents) {
      if (fromCache.has(contents)) return;
      const name = normalisePath(member);
      void staged.get(name)?.abort();
      staged.set(name, cache.stageLayer(contents, hashed));
    },
    restart() {
      takenFor.clear();
      void abort();
    },
    async keep(kept, key, image) {
      try {
        const read = byDiffId(image, fingerprints, staged, fromCache);
        await kept.putImage(key, image, hashed, read.fingerprints, read);
      } finally {
        await abort(); // what the image did not use, or could not be kept
      }
    },
    abort,
  };
}

/** What the read saw, by member, as the cache keeps it: by the diff ID the layout gave each member. */
function byDiffId(image: ParsedImage, fingerprints: ReadonlyMap<string, string>, staged: ReadonlyMap<string, StagedLayer>, fromCache: WeakSet<LayerContents>): LayersRead & { fingerprints: Map<string, string> } {
  const read = { fingerprints: new Map<string, string>(), staged: new Map<string, StagedLayer>(), fromCache: new Set<string>() };
  for (const layer of image.layers) {
    const member = normalisePath(layer.blob);
    const fingerprint = fingerprints.get(member);
    if (fingerprint !== undefined) read.fingerprints.set(layer.diffId, fingerprint);
    const staging = staged.get(member);
    if (staging) read.staged.set(layer.diffId, staging);
    if (fromCache.has(layer.contents)) read.fromCache.add(layer.diffId);
  }
  return read;
}
