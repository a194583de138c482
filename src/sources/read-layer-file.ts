// One file's content for the explorer's viewer (`v`): from the layer's blob in the layer cache
// when --cache-blobs kept it (no export, no read of the image), else from the source's archive
// again, streamed up to the layer that holds the file.

import { blobsOfLayer, readFileContent, readFileInBlob, type FileContent } from '../archive/read-file-content.js';
import type { ParsedImage } from '../model/types.js';
import type { OpenedImage } from './open-image.js';

/** The first `limit` bytes of `path` as layer `layer` of `image` wrote it; undefined when that layer has no such file. */
export async function readLayerFile(opened: OpenedImage, image: ParsedImage, layer: number, path: string, limit: number): Promise<FileContent | undefined> {
  const diffId = image.layers[layer]?.diffId;
  const kept = diffId === undefined ? undefined : await opened.cache?.readBlob(diffId);
  if (kept) return readFileInBlob(kept, path, limit);
  const blobs = blobsOfLayer(image, layer);
  if (blobs.length === 0) return undefined;
  return readFileContent(opened.archive(), blobs, path, limit, opened.target.reference);
}
