// A layer's index written to the cache while the read goes on: encoded and written to a temporary
// file as soon as the layer is parsed, then sealed with its diff ID and renamed into place once the
// layout says which layer it was (an engine's export names its layers only at its end). The read's
// end then costs a rename per layer, not the encoding of every entry.

import { createHash, type Hash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FileHandle } from 'node:fs/promises';
import type { LayerContents } from '../model/types.js';
import { commitTemp, createTemp, remove } from './cache-files.js';
import { encodeLayerBody, sealLayer } from './layer-codec.js';

export interface StagedLayer {
  /** Seals the index with the layer's diff ID and puts it at `path`; false when there was none to keep. */
  commit(diffId: string, path: string): Promise<boolean>;
  /** Removes the temporary file (a layer the image did not use, a read that failed). */
  abort(): Promise<void>;
}

interface Written {
  readonly temp: { readonly path: string; readonly handle: FileHandle };
  readonly hash: Hash;
}

/** Starts writing `contents` beside `base` (a path in the layers directory) at once; never throws (a failure keeps nothing). */
export function stageLayer(base: string, contents: LayerContents, hashed: boolean): StagedLayer {
  const written = write(base, contents, hashed).catch(() => undefined);
  let done = false;
  const abort = async (): Promise<void> => {
    const file = await written;
    if (done || !file) return;
    done = true;
    await file.temp.handle.close().catch(() => undefined);
    await remove(file.temp.path);
  };
  return {
    async commit(diffId, path) {
      const file = await written;
      if (done || !file) return false;
      try {
        await file.temp.handle.writeFile(sealLayer(diffId, file.hash));
        // No fsync: a file a crash tore fails the codec's checksum and reads as a miss.
        await commitTemp(file.temp, path, true);
        done = true;
        return true;
      } catch {
        await abort();
        return false;
      }
    },
    abort,
  };
}

async function write(base: string, contents: LayerContents, hashed: boolean): Promise<Written | undefined> {
  // After the parser has moved on to the next member: the encoding runs beside its read.
  await nextTurn();
  const body = encodeLayerBody(contents, hashed);
  if (!body) return undefined;
  const temp = await createTemp(base);
  const hash = createHash('sha256');
  try {
    for (const part of body) {
      hash.update(part);
      await temp.handle.writeFile(part);
    }
    return { temp, hash };
  } catch (error) {
    await temp.handle.close().catch(() => undefined);
    await remove(temp.path);
    throw error;
  }
}
