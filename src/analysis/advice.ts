// One line of advice per finding, fitted to the instruction behind it: the rule's general fix,
// made specific when the instruction shows what went wrong (an apt-get install that never
// cleans up, a later `rm` that cannot shrink an earlier layer, a toolchain next to its output).

import { visitMerged, type FileTree } from '../model/file-tree.js';
import { shortInstruction } from '../model/history.js';
import type { LayerRef } from '../model/types.js';
import type { Rule } from './rules.js';
import { byBytesDescThenPath } from '../model/order.js';

const APT = /\bapt(-get)?\s+(-\S+\s+)*(install|update|upgrade|dist-upgrade)\b/;

export function adviceFor(rule: Rule, layer: LayerRef, hiddenBy: LayerRef | undefined, artifacts: readonly string[]): string {
  const at = describe(layer);
  switch (rule.id) {
    case 'deleted-later':
      return `${at} adds them and ${describe(hiddenBy)} deletes them, but the bytes stay in layer ${layer.index}: ${rule.advice}`;
    case 'overwritten':
      return `${at} writes them and ${describe(hiddenBy)} writes them again; the first copy stays in layer ${layer.index}: ${rule.advice}`;
    case 'metadata-only':
      return `${describe(hiddenBy)} copies them from layer ${layer.index} only to change mode, owner or time: ${rule.advice}`;
  }
  if (isBaseRootfs(layer.instruction)) {
    return `these come with the base image (${at}); a later RUN cannot shrink that layer: choose a slimmer base image`;
  }
  if ((rule.id === 'apt-lists' || rule.id === 'apt-archives') && APT.test(layer.instruction)) {
    const fix = rule.id === 'apt-lists' ? '`&& rm -rf /var/lib/apt/lists/*`' : '`&& apt-get clean`';
    return `${at} runs apt-get without cleaning up: add ${fix} at the end of that same RUN`;
  }
  if (rule.category === 'toolchain' && artifacts.length > 0) {
    return `${at}: ${rule.advice}; worth copying: ${artifacts.join(', ')}`;
  }
  // Copied in (from a builder stage or the context; the classic builder's history does not say
  // which): they were made elsewhere, so "clean up in the same RUN" cannot apply to this layer.
  if (rule.kind === 'path' && !rule.fromContext && /^(COPY|ADD)\s/i.test(layer.instruction)) {
    return /--from[=\s]/i.test(layer.instruction)
      ? `${at} copied them from another stage: copy only the artifact, not the directory that holds it`
      : `${at} copied them in: copy only what the image runs — from a builder stage the artifact, not its directory; from the build context, exclude them in .dockerignore`;
  }
  return `${at}: ${rule.advice}`;
}

/** Up to three likely build outputs of the final tree: executables outside the system folders (and in /usr/local). */
export function artifactCandidates(tree: FileTree, isFlagged: (path: string) => boolean): string[] {
  const candidates: { path: string; bytes: number }[] = [];
  visitMerged(tree, tree.layerCount - 1, (node, version) => {
    const entry = version?.entry;
    if (entry?.type !== 'file' || (entry.mode & 0o111) === 0) return;
    // Packages install into the system folders; what a build made lands elsewhere or in /usr/local.
    if (/^(usr\/(?!local\/)|bin\/|sbin\/|lib|etc\/|var\/|boot\/|proc\/|sys\/|dev\/)/.test(node.path)) return;
    if (isFlagged(node.path)) return;
    candidates.push({ path: node.path, bytes: entry.size });
  });
  return candidates
    .sort(byBytesDescThenPath)
    .slice(0, 3)
    .map((candidate) => `/${candidate.path}`);
}

function describe(layer: LayerRef | undefined): string {
  if (!layer) return 'a later layer';
  if (!layer.instruction) return `layer ${layer.index}`;
  return `layer ${layer.index} (\`${shortInstruction(layer.instruction, 70)}\`)`;
}

function isBaseRootfs(instruction: string): boolean {
  return /^ADD\s+(file|dir|multi):[0-9a-f]+\s+in\s+\/\s*$/i.test(instruction);
}
