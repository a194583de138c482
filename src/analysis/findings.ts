// Findings: the rule table applied to an image. Path rules classify the files of the final tree
// (each file counts for the first rule it matches, so removable bytes never count a file twice);
// the hidden rules classify every unreachable byte. Findings are grouped by (rule, layer, hiding
// layer): one RUN that left 4,000 apt list files is one finding. Sorted by bytes.

import { findNode, versionIn, visibleVersion, visitMerged, type FileTree, type PathNode, type Version } from '../model/file-tree.js';
import { instructionOf } from '../model/history.js';
import type { DockerfileLocation, Entry, LayerRef, ParsedImage } from '../model/types.js';
import { adviceFor, artifactCandidates, describeLayer } from './advice.js';
import { hiddenVersions } from './hidden-versions.js';
import type { PackageOwners } from './package-owners.js';
import type { LayerOrigin, Provenance } from './provenance.js';
import { HIDDEN_RULES, PATH_RULES, type Category, type PathRule, type Rule, type Severity } from './rules.js';
import { byBytesDescThenPath, byText } from '../model/order.js';

export interface FindingPath {
  readonly path: string;
  readonly bytes: number;
}

export interface Finding {
  readonly ruleId: string;
  readonly category: Category;
  readonly severity: Severity;
  readonly title: string;
  readonly bytes: number;
  readonly files: number;
  /** The largest paths, largest first (at most MAX_PATHS). */
  readonly paths: readonly FindingPath[];
  /** The layer that added the bytes. */
  readonly layer: LayerRef;
  /** For unreachable bytes: the layer that deleted or overwrote them. */
  readonly hiddenBy?: LayerRef;
  readonly advice: string;
}

export interface FindingsResult {
  readonly findings: readonly Finding[];
  /** Bytes of the final tree matched by a path rule, each file once. */
  readonly removableBytes: number;
  /** Unreachable bytes by the layer that hid them. */
  readonly hiddenBytesByLayer: readonly number[];
  /** Every path a finding names (findings themselves keep only the largest few). */
  readonly flaggedPaths: ReadonlySet<string>;
}

export interface FindingsOptions {
  /** A builder image is expected to hold toolchains and caches: those rules stay quiet. */
  readonly role: 'final' | 'builder';
  /** Each layer's place in the Dockerfile, when one was given. */
  readonly locations?: readonly (DockerfileLocation | undefined)[];
  /** Which package owns each path, where the image has a dpkg database. */
  readonly owners?: PackageOwners;
}

interface FindOptions extends FindingsOptions {
  /** Each layer's origin, and the base: what the advice and the context rules go by. */
  readonly provenance: Provenance;
}

const MAX_PATHS = 10;

interface Group {
  readonly rule: Rule;
  readonly layer: number;
  readonly hiddenBy?: number;
  bytes: number;
  files: number;
  paths: FindingPath[];
  /** For a path rule: the layer that wrote every file's content, when all were only rewritten here (chown, chmod); null when they differ. */
  writtenBy?: number | null;
}

export function findFindings(image: ParsedImage, tree: FileTree, reachable: ReadonlySet<Version>, options: FindOptions): FindingsResult {
  const groups = new Map<string, Group>();
  const flaggedPaths = new Set<string>();
  const add = (rule: Rule, layer: number, hiddenBy: number | undefined, path: string, bytes: number, writtenBy?: number): Group => {
    const key = `${rule.id}\u0000${layer}\u0000${hiddenBy ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = { rule, layer, ...(hiddenBy === undefined ? {} : { hiddenBy }), bytes: 0, files: 0, paths: [] };
      groups.set(key, group);
    }
    group.bytes += bytes;
    group.files++;
    group.paths.push({ path, bytes });
    flaggedPaths.add(path);
    if (writtenBy !== undefined) group.writtenBy = group.files === 1 || group.writtenBy === writtenBy ? writtenBy : null;
    return group;
  };

  let removableBytes = 0;
  visitFinalFiles(image, tree, options.role, options.provenance.layers, (file) => {
    if (!file.rule) return;
    removableBytes += file.entry.size;
    add(file.rule, file.layer, undefined, file.path, file.entry.size, file.contentLayer);
  }, options.owners);

  const hiddenBytesByLayer = new Array<number>(tree.layerCount).fill(0);
  for (const hidden of hiddenVersions(tree, reachable)) {
    const rule = HIDDEN_RULES.find((candidate) => candidate.category === hidden.cause) as Rule;
    add(rule, hidden.layer, hidden.hiddenBy, hidden.path, hidden.bytes);
    hiddenBytesByLayer[hidden.hiddenBy] = (hiddenBytesByLayer[hidden.hiddenBy] ?? 0) + hidden.bytes;
  }

  const findings = [...groups.values()].map(findingOf(image, tree, flaggedPaths, options));
  findings.sort((a, b) => b.bytes - a.bytes || byText(a.ruleId, b.ruleId) || a.layer.index - b.layer.index || (a.hiddenBy?.index ?? -1) - (b.hiddenBy?.index ?? -1));
  return { findings, removableBytes, hiddenBytesByLayer, flaggedPaths };
}

/** Turns a group into a finding: its largest paths, its layers, and advice fitted to the layer's origin. */
function findingOf(image: ParsedImage, tree: FileTree, flaggedPaths: ReadonlySet<string>, options: FindOptions): (group: Group) => Finding {
  const instructions = image.layers.map((layer) => instructionOf(layer.step?.createdBy ?? ''));
  const rules = rulesFor(options.role);
  const exists = existsIn(tree, options.owners);
  const artifacts = artifactCandidates(tree, (path) => firstRule(rules, path, { kind: 'other' }, exists) !== undefined);
  const origins = options.provenance.layers;
  const baseName = options.provenance.base.name;
  const ref = (index: number): LayerRef => {
    const location = options.locations?.[index];
    return { index, instruction: instructions[index] ?? '', ...(location ? { location } : {}) };
  };
  return (group) => {
    const paths = group.paths.sort(byBytesDescThenPath).slice(0, MAX_PATHS);
    const layer = ref(group.layer);
    const hiddenBy = group.hiddenBy === undefined ? undefined : ref(group.hiddenBy);
    const origin = origins[group.layer] ?? { kind: 'other' };
    const hiddenByOrigin = group.hiddenBy === undefined ? undefined : origins[group.hiddenBy];
    const narrower = origin.kind === 'stage' && group.hiddenBy === undefined ? narrowerCopy(tree, group.layer, flaggedPaths) : undefined;
    const context = {
      ...(hiddenByOrigin ? { hiddenByOrigin } : {}),
      ...(baseName === undefined ? {} : { baseName }),
      artifacts,
      ...(narrower ? { narrower } : {}),
    };
    // Files this layer only rewrote with the same content: the fix is where the content came from.
    const writer = typeof group.writtenBy === 'number' && group.writtenBy < group.layer ? group.writtenBy : undefined;
    const advice =
      writer === undefined
        ? adviceFor(group.rule, layer, hiddenBy, { origin, ...context })
        : `${describeLayer(layer)} only rewrites them with the same content (owner or mode); ${adviceFor(group.rule, ref(writer), undefined, { ...context, origin: origins[writer] ?? { kind: 'other' } })}`;
    return {
      ruleId: group.rule.id,
      category: group.rule.category,
      // Nothing to gain, nothing to rush: an empty finding (empty files) is never high.
      severity: group.bytes === 0 ? 'low' : group.rule.severity,
      title: group.rule.title,
      bytes: group.bytes,
      files: group.files,
      paths,
      layer,
      ...(hiddenBy ? { hiddenBy } : {}),
      advice,
    };
  };
}

export interface FinalFile {
  readonly path: string;
  readonly entry: Entry;
  /** The layer that wrote the version the final tree shows. */
  readonly layer: number;
  readonly instruction: string;
  /** Where that layer came from. */
  readonly origin: LayerOrigin;
  /** The layer that wrote the content: earlier than `layer` when later layers only rewrote it with the same bytes (chown, chmod). */
  readonly contentLayer: number;
  /** The first path rule it matches, if any. */
  readonly rule: PathRule | undefined;
}

/** The path rules for a role, and one expression that matches where any of their patterns does. */
interface PathRules {
  readonly rules: readonly PathRule[];
  readonly any: RegExp;
}

const rulesFor = (role: FindingsOptions['role']): PathRules => {
  const rules = PATH_RULES.filter((rule) => role === 'final' || !rule.runtimeOnly);
  return { rules, any: anyOf(rules.flatMap((rule) => rule.patterns)) };
};

/**
 * One expression matching where any of `patterns` does. Most files match no rule: one test of
 * this instead of ~70 patterns' was nine tenths of the rules' time on 200,000 files. A flag or a
 * group reference would change what a pattern means inside the alternation: rules have none.
 */
export function anyOf(patterns: readonly RegExp[]): RegExp {
  const unfit = patterns.find((pattern) => pattern.flags !== '' || /\\[1-9k]|\(\?<(?![=!])/.test(pattern.source));
  if (unfit) throw new Error(`the rule pattern ${unfit} cannot join the others' alternation`);
  return new RegExp(patterns.map((pattern) => `(?:${pattern.source})`).join('|'));
}

/** The first rule the path matches, given where its layer came from. */
function firstRule(set: PathRules, path: string, origin: LayerOrigin, facts: TreeFacts): PathRule | undefined {
  return set.any.test(path) ? set.rules.find((rule) => matches(rule, path, origin, facts)) : undefined;
}

/** What a rule may ask of the final tree beyond the path: does a path exist, which package owns it. */
interface TreeFacts {
  exists(path: string): boolean;
  readonly owners?: PackageOwners;
}

const existsIn = (tree: FileTree, owners?: PackageOwners): TreeFacts => {
  const last = tree.layerCount - 1;
  return {
    exists(path) {
      const node = findNode(tree, path);
      return node !== undefined && visibleVersion(node, last) !== undefined;
    },
    ...(owners ? { owners } : {}),
  };
};

/** Every regular file of the final tree, with the first path rule it matches (for the role and the layer's origin). */
export function visitFinalFiles(
  image: ParsedImage,
  tree: FileTree,
  role: FindingsOptions['role'],
  origins: readonly LayerOrigin[],
  visit: (file: FinalFile) => void,
  owners?: PackageOwners,
): void {
  const instructions = image.layers.map((layer) => instructionOf(layer.step?.createdBy ?? ''));
  const rules = rulesFor(role);
  const exists = existsIn(tree, owners);
  visitMerged(tree, tree.layerCount - 1, (node, version) => {
    const entry = version?.entry;
    if (entry?.type !== 'file' || !version) return;
    const instruction = instructions[version.layer] ?? '';
    const origin = origins[version.layer] ?? { kind: 'other' };
    const rule = firstRule(rules, node.path, origin, exists);
    visit({ path: node.path, entry, layer: version.layer, instruction, origin, rule, contentLayer: contentLayer(node, version) });
  });
}

function matches(rule: PathRule, path: string, origin: LayerOrigin, facts: TreeFacts): boolean {
  if (!rule.patterns.some((pattern) => pattern.test(path))) return false;
  if (rule.except?.some((pattern) => pattern.test(path))) return false;
  // Only what may have come from the build context: a COPY from it, or one the history leaves open.
  if (rule.fromContext && origin.kind !== 'context' && origin.kind !== 'copy') return false;
  if (rule.requiresSource) {
    const source = rule.requiresSource(path);
    if (source === undefined || !facts.exists(source)) return false;
  }
  const owner = rule.ownedBy ? facts.owners?.get(path) : undefined;
  return owner === undefined || (rule.ownedBy?.test(owner) ?? true);
}

/**
 * For a COPY --from layer with flagged files: the deepest directory holding all of the layer's
 * unflagged files, when that is narrower than what the layer copied (else undefined).
 */
function narrowerCopy(tree: FileTree, layer: number, flagged: ReadonlySet<string>): string | undefined {
  const kept: string[] = [];
  let all: string | undefined;
  for (const node of tree.touched[layer] ?? []) {
    const version = versionIn(node, layer);
    if (version?.entry?.type !== 'file') continue;
    const dir = node.path.slice(0, Math.max(0, node.path.lastIndexOf('/')));
    all = all === undefined ? dir : commonDir(all, dir);
    if (!flagged.has(node.path)) kept.push(dir);
  }
  if (kept.length === 0 || all === undefined) return undefined;
  const narrow = kept.reduce(commonDir);
  return narrow.length > all.length && narrow !== '' ? `/${narrow}` : undefined;
}

/** The deepest directory two directories share ('' for the root). */
function commonDir(a: string, b: string): string {
  const left = a.split('/');
  const right = b.split('/');
  let same = 0;
  while (same < left.length && same < right.length && left[same] === right[same]) same++;
  return left.slice(0, same).join('/');
}


/** The earliest layer of an unbroken run of versions with `version`'s content (by digest) that ends at `version`. */
function contentLayer(node: PathNode, version: Version): number {
  const digest = version.entry?.digest;
  let layer = version.layer;
  if (digest === undefined) return layer;
  for (let i = node.versions.indexOf(version) - 1; i >= 0; i--) {
    const earlier = node.versions[i];
    if (earlier?.entry?.type !== 'file' || earlier.entry.digest !== digest) break;
    layer = earlier.layer;
  }
  return layer;
}
