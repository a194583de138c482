// One report in the format asked for, from one analysis: the switch every caller (the command
// line, `layerscope build`) goes through, so each format gets the same inputs. Each format's
// module (JUnit's brings an XML library) loads only when that format is asked for.

import type { ImageAnalysis } from '../analysis/analyse.js';
import type { VersionComparison } from '../analysis/compare-versions.js';
import type { StageComparison } from '../analysis/compare.js';
import type { GateResult } from './ci.js';

import type { ReportFormat } from './formats.js';
export { REPORT_FORMATS, type ReportFormat } from './formats.js';

export interface RenderInput {
  readonly format: ReportFormat;
  readonly source: { readonly kind: string; readonly reference: string };
  readonly toolVersion: string;
  readonly top: number;
  readonly comparison?: StageComparison;
  readonly versions?: VersionComparison;
  /** The gate's results: JUnit's test cases. */
  readonly gate: readonly GateResult[];
  /** The Dockerfile findings are placed on (code quality needs one for every issue). */
  readonly dockerfile?: string;
}

export async function renderReport(analysis: ImageAnalysis, input: RenderInput): Promise<string> {
  const { source, top } = input;
  const extra = { ...(input.comparison ? { comparison: input.comparison } : {}), ...(input.versions ? { versions: input.versions } : {}) };
  switch (input.format) {
    case 'md':
      return (await import('./markdown.js')).markdownReport(analysis, { reference: source.reference, top, ...extra });
    case 'json':
      return (await import('./json.js')).jsonReport(analysis, { source, toolVersion: input.toolVersion, top, ...extra });
    case 'sarif':
      return (await import('./sarif.js')).sarifReport(analysis, { reference: source.reference, toolVersion: input.toolVersion, top });
    case 'junit':
      return (await import('./junit.js')).junitReport(analysis, { reference: source.reference, gate: input.gate, top });
    case 'codequality':
      if (input.dockerfile === undefined) throw new Error('the command line asks for a Dockerfile with --report codequality');
      return (await import('./codequality.js')).codeQualityReport(analysis, input.dockerfile);
  }
}
