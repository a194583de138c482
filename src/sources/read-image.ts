// Reading one image, the same for every caller — a report, the explorer, the builder or the
// version an image is compared with: open the source, parse its archive with layers on a worker
// thread, close the worker whatever happens, and report progress at most every 100 ms.

import { readImageArchive, type ReadProgress } from '../archive/read-image-archive.js';
import type { LayerContents, ParsedImage } from '../model/types.js';
import { createWorkerLayerReader } from '../archive/worker-layer-reader.js';
import type { ReadChoices } from './read-choices.js';
import { throttle } from '../throttle.js';
import type { ImageTarget } from './image-target.js';
import { openImage, openOptionsOf, readOptionsFor, type OpenedImage } from './open-image.js';

export const PROGRESS_EVERY_MS = 100;

export type { ReadChoices } from './read-choices.js';

/** Each layer as it finishes, before the layout is known: the explorer's progressive loading. */
export interface LayerWatch {
  readonly onLayer: (blob: string, contents: LayerContents) => void;
  /** Check layers against their diff IDs even where the source would not (placing them by diff ID needs it). */
  readonly verify: boolean;
}

export interface ReadImageRequest {
  readonly read: ReadChoices;
  /** How to open a target; openImage with `read.host` by default (tests give their own sources). */
  readonly open?: (target: ImageTarget) => Promise<OpenedImage>;
  /** Progress, at most every PROGRESS_EVERY_MS, with the archive bytes the source expects (when it knows). */
  readonly onProgress?: (progress: ReadProgress, expectedBytes: number | undefined) => void;
  /** Once the source is open, before its archive is read: what the caller shows up front, and whether it watches layers. */
  readonly onOpened?: (opened: OpenedImage) => Promise<LayerWatch | undefined>;
}

export async function readImage(target: ImageTarget, request: ReadImageRequest): Promise<ParsedImage> {
  const open = request.open ?? ((image: ImageTarget) => openImage(image, openOptionsOf(request.read)));
  const opened = await open(target);
  const watch = await request.onOpened?.(opened);
  const onProgress = request.onProgress;
  const layerReader = createWorkerLayerReader();
  try {
    return await readImageArchive(opened.archive(), {
      ...readOptionsFor(opened, request.read),
      layerReader: layerReader.read,
      ...(watch ? { onLayer: watch.onLayer, verify: opened.verify || watch.verify } : {}),
      ...(onProgress ? { onProgress: throttle(PROGRESS_EVERY_MS, (progress: ReadProgress) => onProgress(progress, opened.expectedBytes)) } : {}),
    });
  } finally {
    await layerReader.close();
  }
}
