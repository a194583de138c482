// Which package owns a path, as `dpkg -S` would answer inside the image: read from the file lists
// dpkg keeps (`var/lib/dpkg/info/<package>.list`) that the image's own layers wrote. A rule can
// then tell a JDK's compiler from a file the JRE package ships (lib/ct.sym is openjdk-17-jre-headless's).

import { findNode, visibleVersion, type FileTree } from '../model/file-tree.js';
import type { ParsedImage } from '../model/types.js';

/** Path (normalised) → owning package (`name` or `name:arch`); undefined when the image has no dpkg lists. */
export type PackageOwners = ReadonlyMap<string, string>;

export function packageOwners(image: ParsedImage, tree: FileTree): PackageOwners | undefined {
  const last = tree.layerCount - 1;
  const owners = new Map<string, string>();
  let lists = 0;
  for (const layer of image.layers) {
    for (const [name, paths] of Object.entries(layer.contents.packageLists ?? {})) {
      // Only the list the final tree shows: an older one was rewritten, a removed package's is gone.
      const node = findNode(tree, `var/lib/dpkg/info/${name}.list`);
      if (!node || visibleVersion(node, last)?.layer !== layer.index) continue;
      lists++;
      for (const path of paths) if (!owners.has(path)) owners.set(path, name);
    }
  }
  return lists > 0 ? owners : undefined;
}

/** The package name without its architecture (`openjdk-17-jre-headless:amd64` → `openjdk-17-jre-headless`). */
export const packageName = (owner: string): string => owner.split(':')[0] ?? owner;
