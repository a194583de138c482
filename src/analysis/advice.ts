// One line of advice per finding, fitted to where the bytes came from (the layer's origin, see
// provenance.ts): a RUN is told to change that RUN; a COPY from the context to copy less or use
// .dockerignore; a COPY --from=STAGE to copy a narrower path from STAGE; a base layer that no edit
// of the Dockerfile shrinks it — only another base does. Advice that depends on something the
// image does not show (BuildKit, what a directory is for) says so.

import { findNode, visitMerged, type FileTree, type Version } from '../model/file-tree.js';
import { shortInstruction } from '../model/history.js';
import type { LayerRef } from '../model/types.js';
import type { LayerOrigin } from './provenance.js';
import type { Rule } from './rules.js';
import { byBytesDescThenPath } from '../model/order.js';
import { resolveFile } from './figures.js';

const APT = /\bapt(-get)?\s+(-\S+\s+)*(install|update|upgrade|dist-upgrade)\b/;
/** A step that installs or upgrades packages (which rewrites the package database and config files). */
const PACKAGE_INSTALL = /\b(apt(-get)?|aptitude|apk|dnf|microdnf|yum|zypper)\s+(-\S+\s+)*(install|add|upgrade|dist-upgrade|update)\b/;

export interface AdviceContext {
  /** The origin of the layer that added the bytes, and of the one that hid them. */
  readonly origin: LayerOrigin;
  readonly hiddenByOrigin?: LayerOrigin;
  /** The base image's name, when known. */
  readonly baseName?: string;
  /** Likely build outputs of the final tree (for toolchain findings). */
  readonly artifacts: readonly string[];
  /** For a COPY --from layer: a narrower path that holds the layer's unflagged files. */
  readonly narrower?: string;
}

export function adviceFor(rule: Rule, layer: LayerRef, hiddenBy: LayerRef | undefined, context: AdviceContext): string {
  const at = describeLayer(layer);
  const { origin } = context;
  if (origin.kind === 'base') return baseAdvice(rule, at, hiddenBy, context.baseName);
  switch (rule.id) {
    case 'deleted-later':
      return `${at} adds them and ${describeLayer(hiddenBy)} deletes them, but the bytes stay in layer ${layer.index}: ${notWritten(origin, rule.advice, 'leave them out')}`;
    case 'overwritten':
      if (hiddenBy?.index === layer.index) {
        return `${at}'s tar holds these paths more than once: every copy ships, only the last is seen; write each path once in that step`;
      }
      return `${at} writes them and ${describeLayer(hiddenBy)} writes them again; the first copy stays in layer ${layer.index}: ${notWritten(origin, rule.advice, 'copy the final version only')}`;
    case 'metadata-only':
      return `${describeLayer(hiddenBy)} copies them from layer ${layer.index} only to change mode, owner or time: ${metadataFix(origin)}`;
  }
  if ((rule.id === 'apt-lists' || rule.id === 'apt-archives') && origin.kind === 'run' && APT.test(layer.instruction)) {
    const fix = rule.id === 'apt-lists' ? '`&& rm -rf /var/lib/apt/lists/*`' : '`&& apt-get clean`';
    return `${at} runs apt-get without cleaning up: add ${fix} at the end of that same RUN`;
  }
  if (rule.id === 'docs' && origin.kind === 'run' && /--no-install-recommends\b/.test(layer.instruction)) {
    // Advice it already follows is no advice: what is left are the base and dpkg's excludes.
    return `${at}: optional: it already installs with --no-install-recommends; use a slim base, or exclude docs (dpkg path-exclude)`;
  }
  if (origin.kind === 'stage' && rule.id === 'pycache') {
    return `${at} copies them from stage ${origin.stage}, which byte-compiled them: if size matters more than start-up time, delete them there, at the end of the last RUN that writes them (\`&& find / -xdev -name __pycache__ -prune -exec rm -rf {} +\`; for pip alone, \`pip install --no-compile\`)`;
  }
  if (origin.kind === 'stage') {
    const narrower = context.narrower ? `: copy \`${context.narrower}\` instead` : ', not the directory that holds them';
    return `${at} copies them from stage ${origin.stage}: copy only what the image runs from ${origin.stage}${narrower}`;
  }
  if (origin.kind === 'context' && rule.kind === 'path' && !rule.fromContext) {
    return `${at} copies them from the build context: exclude them in .dockerignore, or copy a narrower path`;
  }
  if (origin.kind === 'copy' && rule.kind === 'path') {
    // The classic builder's history does not say whether a COPY read the context or another stage.
    return `${at} copies them in: if from the build context, exclude them in .dockerignore; if from another stage (COPY --from), copy a narrower path`;
  }
  if (rule.category === 'toolchain' && context.artifacts.length > 0) {
    return `${at}: ${rule.advice}; likely artifacts to copy: ${context.artifacts.join(', ')}`;
  }
  return `${at}: ${rule.advice}`;
}

/** A base layer's bytes: no RUN of the user's made them, and no later layer shrinks that layer. */
function baseAdvice(rule: Rule, at: string, hiddenBy: LayerRef | undefined, baseName: string | undefined): string {
  const base = baseName ? `the base image (${baseName})` : 'the base image';
  const slimmer = 'only a slimmer base (a -slim or distroless variant, or one built without them) removes them';
  if (rule.id === 'deleted-later') {
    return `these come with ${base}, ${at}; ${describeLayer(hiddenBy)} deletes them, which hides them but cannot shrink the base layer (the delete saves nothing); ${slimmer}`;
  }
  if (rule.id === 'overwritten' || rule.id === 'metadata-only') {
    const why = PACKAGE_INSTALL.test(hiddenBy?.instruction ?? '') ? ' (installing packages rewrites such files)' : '';
    return `these come with ${base}, ${at}; ${describeLayer(hiddenBy)} writes them again${why}, so both copies ship and no later layer removes the base's: worth changing only if that step rewrites them needlessly`;
  }
  return `these come with ${base}, ${at}: no edit of your Dockerfile removes them from that layer (deleting them later only hides them); ${slimmer}`;
}

/** The fix for bytes a later layer hid, by how they got in: a RUN can clean up itself, a copy can copy less. */
function notWritten(origin: LayerOrigin, runFix: string, copyFix: string): string {
  switch (origin.kind) {
    case 'run':
      return runFix;
    case 'context':
      return `${copyFix}: exclude them in .dockerignore or copy a narrower path`;
    case 'stage':
      return `${copyFix}: copy a narrower path from stage ${origin.stage}`;
    case 'copy':
      return `${copyFix}: copy a narrower path (or, from the build context, exclude them in .dockerignore)`;
    default:
      return runFix;
  }
}

/** COPY --chmod/--chown needs BuildKit (the classic builder refuses --chmod): say so, and give the alternative. */
function metadataFix(origin: LayerOrigin): string {
  if (origin.kind === 'run') return 'set mode and owner in the RUN that creates them';
  const source = origin.kind === 'stage' ? `in stage ${origin.stage}` : origin.kind === 'context' ? 'in the build context' : 'in the build context or the stage they come from';
  return `set them where the files are copied: \`COPY --chown=…\` (any builder) or \`COPY --chmod=…\` (BuildKit only; with the classic builder, set the mode on the files ${source})`;
}

/** Paths that are never the thing to copy: VCS metadata, samples, docs, build intermediates. */
const NOT_ARTIFACTS = [
  /(^|\/)\.(git|hg|svn)\//,
  /\.sample$/,
  /(^|\/)(docs?|man|examples?|samples?|tests?)\//,
  /\.(md|txt|rst|html?|[ch]|cc|cpp|o|a|d|rlib|rmeta)$/,
  /(^|\/)target\/(release|debug)\/(deps|build|incremental|examples|\.fingerprint)\//,
  /(^|\/)build\/(lib|temp|bdist)[^/]*\//,
  /(^|\/)__pycache__\//,
];

/**
 * Up to three likely build outputs of the final tree, largest first: executables outside the
 * system folders (and in /usr/local), never metadata or intermediates; files inside a Python
 * virtual environment stand for the environment (its root is what to copy).
 */
export function artifactCandidates(tree: FileTree, isFlagged: (path: string) => boolean): string[] {
  const sizes = new Map<string, number>();
  /** Files already proposed under one of their names. */
  const proposed = new Set<Version>();
  visitMerged(tree, tree.layerCount - 1, (node, version) => {
    // A hardlink names the same file (cargo links target/release/NAME to its hashed deps/ copy).
    const file = version && resolveFile(tree, version);
    const entry = file?.entry;
    if (!file || entry?.type !== 'file' || (entry.mode & 0o111) === 0) return;
    // Packages install into the system folders; what a build made lands elsewhere or in /usr/local.
    if (/^(usr\/(?!local\/)|bin\/|sbin\/|lib|etc\/|var\/|boot\/|proc\/|sys\/|dev\/)/.test(node.path)) return;
    if (isFlagged(node.path) || NOT_ARTIFACTS.some((pattern) => pattern.test(node.path)) || proposed.has(file)) return;
    proposed.add(file);
    const key = venvRoot(tree, node.path) ?? node.path;
    sizes.set(key, (sizes.get(key) ?? 0) + entry.size);
  });
  return [...sizes]
    .map(([path, bytes]) => ({ path, bytes }))
    .sort(byBytesDescThenPath)
    .slice(0, 3)
    .map(({ path }) => `/${path}`);
}

/** The virtual environment (a directory with pyvenv.cfg) that holds `path`, if any. */
function venvRoot(tree: FileTree, path: string): string | undefined {
  for (let slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
    const dir = path.slice(0, slash);
    if (findNode(tree, `${dir}/pyvenv.cfg`)) return dir;
  }
  return undefined;
}

export function describeLayer(layer: LayerRef | undefined): string {
  if (!layer) return 'a later layer';
  if (!layer.instruction) return `layer ${layer.index}`;
  return `layer ${layer.index} (\`${shortInstruction(layer.instruction, 70)}\`)`;
}
