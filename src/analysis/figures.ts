// layerscope's own byte figures. Each is defined here, once:
//   layer bytes       Σ sizes of the regular files in one layer's tar
//   image bytes       Σ layer bytes over all layers
//   final bytes       Σ sizes of the file versions the final merged tree still shows (a version
//                     reached through several hardlinks counts once)
//   unreachable bytes Σ sizes of file versions shipped in some layer but not shown by the final
//                     tree (deleted or overwritten later, or by a later entry of the same tar)
// so that image bytes = final bytes + unreachable bytes, exactly.

import { findNode, visibleVersion, visitMerged, walk, type FileTree, type Version } from '../model/file-tree.js';
import type { LayerContents } from '../model/types.js';

export function layerBytes(contents: LayerContents): number {
  let total = shadowedBytes(contents);
  for (const entry of contents.entries) if (entry.type === 'file') total += entry.size;
  return total;
}

/** Bytes of the regular files a layer's tar holds but extraction does not keep (see LayerContents.shadowed). */
function shadowedBytes(contents: Pick<LayerContents, 'shadowed'>): number {
  let total = 0;
  for (const entry of contents.shadowed ?? []) if (entry.type === 'file') total += entry.size;
  return total;
}

export function imageBytes(layers: readonly { readonly contents: LayerContents }[]): number {
  return layers.reduce((total, layer) => total + layerBytes(layer.contents), 0);
}

/** Final bytes, from the final tree's reachable file versions (reachableFileVersions). */
export function finalBytes(reachable: ReadonlySet<Version>): number {
  let total = 0;
  for (const version of reachable) total += version.entry?.size ?? 0;
  return total;
}

/** Unreachable bytes broken down by the layer that shipped them; their sum is the image's unreachable bytes. */
export function unreachableBytesByLayer(tree: FileTree, reachable: ReadonlySet<Version>): number[] {
  const byLayer = tree.shadowed.map((entries) => shadowedBytes({ shadowed: entries }));
  for (const node of walk(tree.root)) {
    for (let i = 0; i < node.versionCount; i++) {
      const version = node.version(i);
      if (version.entry?.type === 'file' && !reachable.has(version)) {
        byLayer[version.layer] = (byLayer[version.layer] ?? 0) + version.entry.size;
      }
    }
  }
  return byLayer;
}

/**
 * Regular-file versions the final tree shows, directly or through a visible hardlink. Final
 * bytes, unreachable bytes and the hidden versions all start from it: the caller works it out
 * once and passes it to each.
 */
export function reachableFileVersions(tree: FileTree): ReadonlySet<Version> {
  const last = tree.layerCount - 1;
  const reachable = new Set<Version>();
  visitMerged(tree, last, (_node, version) => {
    const file = version && resolveFile(tree, version);
    if (file) reachable.add(file);
  });
  return reachable;
}

/**
 * The regular-file version a version stands for: itself for a file, the target visible in the
 * hardlink's own layer for a hardlink (a tar hardlink names a path written earlier), else none.
 */
export function resolveFile(tree: FileTree, version: Version): Version | undefined {
  let current: Version | undefined = version;
  for (let hops = 0; current && hops < 8; hops++) {
    const entry = current.entry;
    if (entry?.type === 'file') return current;
    if (entry?.type !== 'hardlink' || entry.linkTarget === undefined) return undefined;
    const target = findNode(tree, entry.linkTarget);
    current = target && visibleVersion(target, current.layer);
  }
  return undefined;
}
