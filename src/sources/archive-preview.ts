// What an image archive on disk says about its image before it is read: the layers' diff IDs and
// the history, from the image config that the one chooser (src/archive/choose-image.ts) finds
// through manifest.json or index.json. manifest.json comes last in the stream, but a file can be
// seeked: the outer tar has only a few members (a layer is one), so walking their headers and
// reading a few small JSON files costs milliseconds whatever the size. The explorer then lists
// the layers at once and places each as it is read. Anything unexpected (gzip, a long name, an
// image it cannot choose) means no preview: the parser reads the whole archive anyway and
// reports real problems itself.

import { open } from 'node:fs/promises';
import { chooseImage, readImageConfig, type ReadDocument } from '../archive/choose-image.js';
import type { ImageConfig } from '../archive/documents.js';
import { LayerscopeError } from '../errors.js';
import { readLayoutDocument } from './archive-file.js';
import type { ImagePreview } from './image-preview.js';
import { memberReader, memberTable } from './tar-walk.js';


/** A `docker save` tar or an OCI layout tar, plain (not gzip'd). */
export async function tarPreview(path: string, tag: string | undefined): Promise<ImagePreview | undefined> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return undefined;
  try {
    const members = await memberTable(file);
    return members && (await previewFrom(memberReader(file, members), path, tag));
  } finally {
    await file.close();
  }
}

/** A layout directory (OCI or dir:): the same, reading its files (regular files inside it only). */
export async function directoryPreview(root: string, tag: string | undefined): Promise<ImagePreview | undefined> {
  return previewFrom((name) => readLayoutDocument(root, name), root, tag);
}

async function previewFrom(read: ReadDocument, source: string, tag: string | undefined): Promise<ImagePreview | undefined> {
  try {
    const choice = await chooseImage(read, { source, ...(tag === undefined ? {} : { tag }) });
    return fromConfig(await readImageConfig(read, choice.configPath, source));
  } catch (error) {
    if (error instanceof LayerscopeError) return undefined;
    throw error;
  }
}

/** The preview an image config gives: diff IDs and history steps. */
export function fromConfig(config: ImageConfig): ImagePreview {
  const history = (config.history ?? []).map((step) => ({ createdBy: step.created_by ?? '', size: step.empty_layer ? 0 : 1, emptyLayer: step.empty_layer === true }));
  return { diffIds: config.rootfs.diff_ids, history };
}
