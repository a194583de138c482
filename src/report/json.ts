// The JSON report: the analysis as a stable document for scripts and CI. Keys are written in a
// fixed order, bytes are integers, and text from the image is sanitised like everywhere else.
// Bump SCHEMA_VERSION on any change a consumer could notice.

import type { ImageAnalysis, LayerSummary } from '../analysis/analyse.js';
import type { Finding } from '../analysis/findings.js';
import { jsonText } from '../sanitize.js';
import type { VersionComparison } from '../analysis/compare-versions.js';
import type { StageComparison } from '../analysis/compare.js';
import { comparisonJson, versionsJson } from './comparison.js';
import type { PartFigures } from '../analysis/base-split.js';
import type { LayerOrigin } from '../analysis/provenance.js';
import type { DockerfileLocation, LayerRef } from '../model/types.js';
import { layerStepIndexes } from '../model/history.js';
import { byText } from '../model/order.js';

export const SCHEMA_VERSION = 3;

export interface JsonReportOptions {
  /** How the user named the image (kept out of comparisons between sources). */
  readonly source: { readonly kind: string; readonly reference: string };
  readonly toolVersion: string;
  /** Length of the largest-files and dive-inefficiency lists. */
  readonly top: number;
  /** The comparison with a builder image (--builder), when there is one. */
  readonly comparison?: StageComparison;
  /** The comparison with another version of the image (--compare), when there is one. */
  readonly versions?: VersionComparison;
}

export function jsonReport(analysis: ImageAnalysis, options: JsonReportOptions): string {
  return `${JSON.stringify(jsonReportValue(analysis, options), null, 2)}\n`;
}

export function jsonReportValue(analysis: ImageAnalysis, options: JsonReportOptions): unknown {
  const { figures, dive, split } = analysis;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'layerscope', version: options.toolVersion },
    source: { kind: options.source.kind, reference: text(options.source.reference) },
    image: imageJson(analysis.image),
    figures: {
      imageBytes: figures.imageBytes,
      finalBytes: figures.finalBytes,
      unreachableBytes: figures.unreachableBytes,
      removableBytes: figures.removableBytes,
      finalFiles: figures.finalFiles,
    },
    baseImage: {
      layers: split.boundary.layers,
      name: split.boundary.name === undefined ? null : text(split.boundary.name),
      method: split.boundary.method,
      sure: split.boundary.sure,
      base: partJson(split.base),
      own: partJson(split.own),
    },
    dive: {
      efficiency: dive.efficiency,
      wastedBytes: dive.wastedBytes,
      userWastedPercent: dive.userWastedPercent,
      inefficiencies: dive.inefficiencies
        .slice(0, options.top)
        .map((item) => ({ path: text(item.path), count: item.count, bytes: item.bytes })),
    },
    layers: analysis.layers.map((layer) => layerJson(layer, analysis.provenance.layers[layer.index])),
    findings: analysis.findings.map((finding) => findingJson(finding, split.boundary.layers, options.top)),
    largestFiles: analysis
      .largestFiles(options.top)
      .map((file) => ({ path: text(file.path), bytes: file.bytes, layer: file.layer })),
    dockerfile: analysis.dockerfile ? dockerfileJson(analysis) : null,
    stageComparison: options.comparison ? comparisonJson(options.comparison, options.top) : null,
    comparedWith: options.versions ? versionsJson(options.versions, options.top) : null,
  };
}

function imageJson(image: ImageAnalysis['image']): unknown {
  return {
    id: image.id,
    tags: image.tags.map(text),
    os: text(image.config.os),
    architecture: text(image.config.architecture),
    variant: image.config.variant === undefined ? null : text(image.config.variant),
    created: image.config.created === undefined ? null : text(String(image.config.created)),
    layout: image.layout,
    layerCount: image.layers.length,
    historySteps: image.history.length,
    labels: Object.fromEntries(
      Object.entries(image.config.labels)
        .sort(([a], [b]) => byText(a, b))
        .map(([key, value]) => [text(key), text(value)]),
    ),
  };
}

function layerJson(layer: LayerSummary, origin: LayerOrigin | undefined): unknown {
  return {
    index: layer.index,
    digest: text(layer.diffId),
    blob: text(layer.blob),
    bytes: layer.bytes,
    unreachableBytes: layer.unreachableBytes,
    hiddenBytes: layer.hiddenBytes,
    findings: layer.findings,
    instruction: text(layer.instruction),
    createdBy: text(layer.createdBy),
    origin: originJson(origin),
    entries: {
      files: layer.entries.file,
      dirs: layer.entries.dir,
      symlinks: layer.entries.symlink,
      hardlinks: layer.entries.hardlink,
      other: layer.entries.other,
      whiteouts: layer.entries.whiteouts,
      opaqueDirs: layer.entries.opaqueDirs,
    },
    changes: { added: layer.changes.added, modified: layer.changes.modified, removed: layer.changes.removed },
    location: locationJson(layer.location),
  };
}

/** A finding; `baseLayers` says which layers are the base's. */
function findingJson(finding: Finding, baseLayers: number, top: number): unknown {
  return {
    rule: finding.ruleId,
    category: finding.category,
    severity: finding.severity,
    title: finding.title,
    bytes: finding.bytes,
    files: finding.files,
    layer: layerRefJson(finding.layer),
    hiddenBy: finding.hiddenBy ? layerRefJson(finding.hiddenBy) : null,
    fromBase: finding.layer.index < baseLayers,
    paths: finding.paths.slice(0, top).map((item) => ({ path: text(item.path), bytes: item.bytes })),
    advice: text(finding.advice),
  };
}

const partJson = (part: PartFigures) => ({
  layers: part.layers,
  bytes: part.bytes,
  unreachableBytes: part.unreachableBytes,
  removableBytes: part.removableBytes,
  wastedBytes: part.wastedBytes,
  findings: part.findings,
});

/** A layer's origin: its kind, and the stage for a COPY --from. */
function originJson(origin: LayerOrigin | undefined): { kind: LayerOrigin['kind']; stage: string | null } {
  const known = origin ?? { kind: 'other' };
  return { kind: known.kind, stage: known.kind === 'stage' ? jsonText(known.stage) : null };
}

const text = jsonText;

function layerRefJson(layer: LayerRef): unknown {
  return { index: layer.index, instruction: text(layer.instruction), location: locationJson(layer.location) };
}

/** Where a layer's instruction is in the Dockerfile; a base image's layers are on its FROM. */
function locationJson(location: DockerfileLocation | undefined): unknown {
  if (!location) return null;
  const origin = location.origin;
  return {
    file: text(location.file),
    line: location.line,
    endLine: location.endLine,
    stage: location.stage,
    stageName: location.stageName === undefined ? null : text(location.stageName),
    instruction: location.keyword,
    fromBaseImage: location.kind === 'base',
    copiedFrom:
      origin === undefined
        ? null
        : origin.kind === 'stage'
          ? { kind: 'stage', stage: origin.stage, stageName: origin.name === undefined ? null : text(origin.name) }
          : origin.kind === 'image'
            ? { kind: 'image', image: text(origin.image) }
            : { kind: 'context' },
  };
}

/** The placement itself: which stage, and what could not be placed either way. */
function dockerfileJson(analysis: ImageAnalysis): unknown {
  const map = analysis.dockerfile?.map;
  if (!map) return null;
  const layerOfStep = new Map(
    layerStepIndexes(analysis.image.history, analysis.image.layers.length).flatMap((step, layer) => (step === undefined ? [] : [[step, layer] as const])),
  );
  return {
    file: text(map.file),
    stage: map.stage,
    stageName: map.stageName === undefined ? null : text(map.stageName),
    placedSteps: map.steps.filter((step) => step.kind === 'instruction').length,
    baseSteps: map.steps.filter((step) => step.kind === 'base').length,
    unplacedSteps: map.unplaced.map((step) => ({
      step,
      layer: layerOfStep.get(step) ?? null,
      createdBy: text(analysis.image.history[step]?.createdBy ?? ''),
    })),
    missingInstructions: map.missing.map((step) => ({ line: step.line, stage: step.stage, instruction: step.keyword })),
  };
}
