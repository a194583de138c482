// Turns the members of an image archive into one ParsedImage: chooses the image (choose-image.ts),
// orders its layers, checks each against its diff ID, and maps history steps to layers.

import { CorruptLayerError, InvalidArchiveError, MissingBlobError } from '../errors.js';
import { mapHistory } from '../model/history.js';
import type { ImageLayer, LayerContents, ParsedImage } from '../model/types.js';
import type { ArchiveMember, ArchiveMembers } from './archive-members.js';
import { chooseImage, readImageConfig, type ChooseOptions, type ReadDocument } from './choose-image.js';
import { normalisePath } from './paths.js';

export type ResolveOptions = ChooseOptions;

export async function resolveImage(archive: ArchiveMembers, options: ResolveOptions): Promise<ParsedImage> {
  const read: ReadDocument = async (path) => {
    const found = member(archive, path);
    return found?.kind === 'json' ? found.text : undefined;
  };
  const ref = await chooseImage(read, options);
  const configMember = member(archive, ref.configPath);
  if (configMember?.kind !== 'json') throw new MissingBlobError(ref.configPath, 'image config');
  const config = await readImageConfig(read, ref.configPath, options.source);
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== ref.layerPaths.length) {
    throw new InvalidArchiveError(
      options.source,
      `the manifest lists ${ref.layerPaths.length} layers but the config has ${diffIds.length} diff IDs`,
    );
  }
  const { steps, layerSteps } = mapHistory(config.history ?? [], ref.layerPaths.length);
  const layers = ref.layerPaths.map((blob, index): ImageLayer => {
    const contents = layerContents(archive, blob);
    const diffId = diffIds[index] ?? contents.diffId ?? '';
    if (contents.diffId !== undefined && contents.diffId !== diffId) {
      throw new CorruptLayerError(blob, `its content hashes to ${contents.diffId}, but the image expects ${diffId}`);
    }
    const step = layerSteps[index];
    const linked = ref.layout === 'docker-save' && archive.links.has(normalisePath(blob));
    return { index, diffId, blob, contents, ...(step ? { step } : {}), ...(linked ? { linked: true } : {}) };
  });
  return {
    id: configMember.digest,
    tags: ref.tags,
    config: {
      os: config.os ?? 'unknown',
      architecture: config.architecture ?? 'unknown',
      ...(config.variant ? { variant: config.variant } : {}),
      ...(config.created ? { created: config.created } : {}),
      labels: { ...(config.config?.Labels ?? {}) },
    },
    layers,
    history: steps,
    layout: ref.layout,
  };
}

function layerContents(archive: ArchiveMembers, blob: string): LayerContents {
  const found = member(archive, blob);
  if (!found) throw new MissingBlobError(blob, 'layer');
  if (found.kind === 'unreadable') throw new CorruptLayerError(blob, found.problem);
  if (found.kind !== 'layer') throw new CorruptLayerError(blob, 'it is not a tar, gzip or zstd blob');
  return found.contents;
}

/** A member by path, following the symlinks a legacy archive uses for repeated layers. */
function member(archive: ArchiveMembers, path: string): ArchiveMember | undefined {
  let current = normalisePath(path);
  for (let hops = 0; hops < 16; hops++) {
    const found = archive.members.get(current);
    if (found) return found;
    const next = archive.links.get(current);
    if (next === undefined) return undefined;
    current = next;
  }
  return undefined;
}
