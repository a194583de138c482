// What the layer cache keeps of an image beside its layers: the ParsedImage without the layers'
// contents (ID, tags, config summary, history, layout, each layer's diff ID and blob name), so an
// image whose layers are all cached is rebuilt exactly as its archive would have read. Checked
// with a schema when read back: the cache directory is outside data like any other.

import { checkShape, DIGEST, z, type Parsed } from '../archive/documents.js';
import type { LayerContents, ParsedImage } from '../model/types.js';

const RECORD_VERSION = 1;

const step = z.object({
  createdBy: z.string(),
  created: z.string().optional(),
  comment: z.string().optional(),
  emptyLayer: z.boolean(),
});

const recordSchema = z.object({
  version: z.literal(RECORD_VERSION),
  /** The source's identity of the archive it was read from (see OpenedImage.cacheKey). */
  key: z.string(),
  image: z.object({
    id: z.string(),
    tags: z.array(z.string()),
    config: z.object({
      os: z.string(),
      architecture: z.string(),
      variant: z.string().optional(),
      created: z.string().optional(),
      labels: z.record(z.string(), z.string()),
    }),
    history: z.array(step),
    layout: z.enum(['docker-save', 'oci', 'docker-dir']),
    layers: z.array(
      z.object({
        index: z.number().int().nonnegative(),
        diffId: z.string().regex(DIGEST),
        blob: z.string(),
        step: step.optional(),
        linked: z.literal(true).optional(),
      }),
    ),
  }),
});

type ImageRecord = Parsed<typeof recordSchema>;

/** The record of `image`, read from the archive `key` names. */
export function encodeImageRecord(key: string, image: ParsedImage): string {
  const record: ImageRecord = {
    version: RECORD_VERSION,
    key,
    image: {
      id: image.id,
      tags: [...image.tags],
      config: image.config,
      history: [...image.history],
      layout: image.layout,
      layers: image.layers.map((layer) => ({
        index: layer.index,
        diffId: layer.diffId,
        blob: layer.blob,
        ...(layer.step ? { step: layer.step } : {}),
        ...(layer.linked ? { linked: true as const } : {}),
      })),
    },
  };
  return JSON.stringify(record);
}

/** The image's skeleton, or undefined when the text is no record of `key` in this version. */
export function decodeImageRecord(text: string, key: string): ImageRecord['image'] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const checked = checkShape(recordSchema, parsed);
  if ('problem' in checked || checked.value.key !== key) return undefined;
  const layers = checked.value.image.layers;
  return layers.every((layer, index) => layer.index === index) ? checked.value.image : undefined;
}

/** The image again, each layer's contents from the cache. */
export function withContents(image: ImageRecord['image'], contents: readonly LayerContents[]): ParsedImage {
  return { ...image, layers: image.layers.map((layer, index) => ({ ...layer, contents: contents[index] as LayerContents })) };
}
