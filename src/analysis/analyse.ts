// One value every report and view reads: the parsed image, its file tree, and the figures.

import { buildFileTree, visitMerged, type FileTree } from '../model/file-tree.js';
import { countChanges, type ChangeCounts } from '../model/layer-changes.js';
import { instructionOf } from '../model/history.js';
import type { EntryType, ImageLayer, ParsedImage } from '../model/types.js';
import { diveFigures, type DiveFigures } from './dive.js';
import { findFindings, type Finding, type FindingsOptions } from './findings.js';
import { layerPlacements } from '../build/layer-placements.js';
import type { DockerfileLocation, StepMap, StepPlacement } from '../build/step-map.js';
import { finalBytes, imageBytes, layerBytes, reachableFileVersions, unreachableBytesByLayer } from './figures.js';
import { byBytesDescThenPath } from '../model/order.js';
import { splitByBase, type BaseSplit } from './base-split.js';
import { provenanceOf, type Provenance, type ProvenanceInput } from './provenance.js';
import { originsOfPlacements } from '../build/layer-origins.js';
import { packageOwners, type PackageOwners } from './package-owners.js';

export interface LayerSummary {
  readonly index: number;
  readonly diffId: string;
  readonly blob: string;
  readonly bytes: number;
  /** Bytes this layer ships that the final tree no longer shows. */
  readonly unreachableBytes: number;
  /** Bytes of lower layers this layer deleted or overwrote (made unreachable). */
  readonly hiddenBytes: number;
  /** How many findings name this layer as the one that added the bytes. */
  readonly findings: number;
  /** The Dockerfile instruction, as written (`RUN …`, `COPY …`), or '' when unknown. */
  readonly instruction: string;
  readonly createdBy: string;
  readonly entries: EntryCounts;
  readonly changes: ChangeCounts;
  /** Its instruction's place in the Dockerfile, when one was given and the step was placed. */
  readonly location?: DockerfileLocation;
}

export type EntryCounts = Readonly<Record<EntryType | 'whiteouts' | 'opaqueDirs', number>>;

export interface LargestFile {
  readonly path: string;
  readonly bytes: number;
  readonly layer: number;
}

export interface ImageFigures {
  readonly imageBytes: number;
  readonly finalBytes: number;
  readonly unreachableBytes: number;
  /** Bytes of the final tree matched by a finding rule, each file once. */
  readonly removableBytes: number;
  /** Regular files (and hardlinks) the final tree shows. */
  readonly finalFiles: number;
}

export interface AnalyseOptions {
  readonly role?: FindingsOptions['role'];
  /** The image's history placed on a Dockerfile: findings and layers then carry their lines, and layers their origins. */
  readonly dockerfile?: StepMap;
  /** What the caller knows of the base and of the stages' names (the Dockerfile, the engine). */
  readonly provenance?: ProvenanceInput;
  /** buildFileTree(image), when the caller has it already (the explorer, which built it while the layers arrived). */
  readonly tree?: FileTree;
}

export interface ImageAnalysis {
  readonly image: ParsedImage;
  readonly role: FindingsOptions['role'];
  /** Where the base image ends, and where each layer came from. */
  readonly provenance: Provenance;
  /** The figures split into the base image's layers and the user's own. */
  readonly split: BaseSplit;
  readonly tree: FileTree;
  readonly figures: ImageFigures;
  readonly layers: readonly LayerSummary[];
  readonly dive: DiveFigures;
  /** Largest first. */
  readonly findings: readonly Finding[];
  /** Every path some finding names. */
  readonly flaggedPaths: ReadonlySet<string>;
  /** The `limit` largest regular files of the final tree (all of them when no limit), largest first (ties by path). */
  largestFiles(limit?: number): readonly LargestFile[];
  /** Which package owns each path, from the image's dpkg file lists (absent without a dpkg database). */
  readonly owners?: PackageOwners;
  /** The history placed on the Dockerfile (--dockerfile, `layerscope build`). */
  readonly dockerfile?: DockerfilePlacement;
}

export interface DockerfilePlacement {
  readonly map: StepMap;
  /** Each layer's placement; undefined where the history does not add up to the layers. */
  readonly layers: readonly (StepPlacement | undefined)[];
}


export function analyseImage(image: ParsedImage, options: AnalyseOptions = {}): ImageAnalysis {
  // dive's figures first: its trees (a node per path, about as large as the entries) are freed
  // before the file tree (when built here) and the reachable set exist, instead of adding to the peak.
  const dive = diveFigures(image.layers);
  const tree = options.tree ?? buildFileTree(image);
  const reachable = reachableFileVersions(tree);
  const unreachable = unreachableBytesByLayer(tree, reachable);
  const placed = options.dockerfile ? layerPlacements(options.dockerfile, image.history, image.layers.length) : undefined;
  const locations = placed?.map((step) => (step?.kind === 'unplaced' ? undefined : step));
  // The Dockerfile's word on each layer's origin, where it has one; the history's elsewhere.
  const origins = options.provenance?.origins ?? (placed ? originsOfPlacements(placed, options.provenance?.stageNames) : undefined);
  const provenance = provenanceOf(image, { ...options.provenance, ...(origins ? { origins } : {}) });
  const owners = packageOwners(image, tree);
  const { findings, removableBytes, hiddenBytesByLayer, flaggedPaths } = findFindings(image, tree, reachable, {
    role: options.role ?? 'final',
    provenance,
    ...(owners ? { owners } : {}),
    ...(locations ? { locations } : {}),
  });
  const layers = image.layers.map((layer) =>
    summariseLayer(layer, tree, {
      unreachableBytes: unreachable[layer.index] ?? 0,
      hiddenBytes: hiddenBytesByLayer[layer.index] ?? 0,
      findings: findings.filter((finding) => finding.layer.index === layer.index).length,
    }, locations?.[layer.index]),
  );
  let finalFiles = 0;
  visitMerged(tree, tree.layerCount - 1, (_node, version) => {
    const type = version?.entry?.type;
    if (type === 'file' || type === 'hardlink') finalFiles++;
  });
  return {
    image,
    role: options.role ?? 'final',
    provenance,
    split: splitByBase(provenance.base, image.layers, unreachable, findings),
    tree,
    figures: {
      imageBytes: imageBytes(image.layers),
      finalBytes: finalBytes(reachable),
      unreachableBytes: unreachable.reduce((a, b) => a + b, 0),
      removableBytes,
      finalFiles,
    },
    layers,
    dive,
    findings,
    flaggedPaths,
    // Listed when a report asks, and only as many as it shows: an object per file of the final
    // tree (200k entries: 12 MB) is made only for a file in the top.
    largestFiles: (limit = Number.POSITIVE_INFINITY) => largestFiles(tree, limit),
    ...(owners ? { owners } : {}),
    ...(options.dockerfile && placed ? { dockerfile: { map: options.dockerfile, layers: placed } } : {}),
  };
}

/** The `limit` largest regular files of the final tree, largest first (ties by path). */
export function largestFiles(tree: FileTree, limit: number): LargestFile[] {
  const files: LargestFile[] = [];
  if (limit === Number.POSITIVE_INFINITY) {
    visitMerged(tree, tree.layerCount - 1, (node, version) => {
      if (version?.entry?.type === 'file') files.push({ path: node.path, bytes: version.entry.size, layer: version.layer });
    });
    return files.sort(byBytesDescThenPath);
  }
  if (limit <= 0) return files;
  visitMerged(tree, tree.layerCount - 1, (node, version) => {
    if (version?.entry?.type !== 'file') return;
    const bytes = version.entry.size;
    // Full: a file goes in only ahead of the last one, which then drops out.
    if (files.length >= limit && byBytesDescThenPath({ bytes, path: node.path }, files[files.length - 1] as LargestFile) >= 0) return;
    const file = { path: node.path, bytes, layer: version.layer };
    files.splice(placeOf(files, file), 0, file);
    if (files.length > limit) files.pop();
  });
  return files;
}

/** Where `file` goes in `files` (sorted by byBytesDescThenPath): after every one that sorts before it. */
function placeOf(files: readonly LargestFile[], file: LargestFile): number {
  let low = 0;
  let high = files.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (byBytesDescThenPath(files[mid] as LargestFile, file) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

function summariseLayer(
  layer: ImageLayer,
  tree: FileTree,
  counts: Pick<LayerSummary, 'unreachableBytes' | 'hiddenBytes' | 'findings'>,
  location: DockerfileLocation | undefined,
): LayerSummary {
  const entries = { file: 0, dir: 0, symlink: 0, hardlink: 0, other: 0 };
  for (const entry of layer.contents.entries) entries[entry.type]++;
  const createdBy = layer.step?.createdBy ?? '';
  return {
    index: layer.index,
    diffId: layer.diffId,
    blob: layer.blob,
    bytes: layerBytes(layer.contents),
    ...counts,
    instruction: instructionOf(createdBy),
    createdBy,
    entries: { ...entries, whiteouts: layer.contents.whiteouts.length, opaqueDirs: layer.contents.opaqueDirs.length },
    changes: countChanges(tree, layer.index),
    ...(location ? { location } : {}),
  };
}
