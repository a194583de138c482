// The CI gate (`--ci`): the rules from ci-config.ts checked against one analysis, one result per rule,
// and the lines bin/ prints. Exit code 1 when a rule fails; bad configuration is a UsageError (2).
//
// Comparisons are dive's (cmd/dive/cli/internal/command/ci/rules.go, commit f14b994, the three
// `Evaluate` methods ll. 119-126, 149-156, 184-191): a rule fails only when the figure is strictly
// past the limit — efficiency < limit, wasted bytes > limit, user wasted ratio > limit — so a figure
// equal to its limit passes, whatever dive's README says ("at least X", "met or crossed"). layerscope's
// own size limits follow the same rule.

import { formatSize } from './format-size.js';
import type { ImageFigures } from '../analysis/analyse.js';
import type { DiveFigures } from '../analysis/dive.js';
import type { PartFigures } from '../analysis/base-split.js';
import type { Finding } from '../analysis/findings.js';
import { sanitizeText } from '../sanitize.js';
import type { CategoryRule, GateRule, ThresholdRule } from './ci-config.js';

export { gateRules, GATE_CATEGORIES } from './ci-config.js';
export type { CategoryRule, GateFlags, GateInput, GateRule, GateSource, ThresholdKind, ThresholdRule } from './ci-config.js';

export type GateStatus = 'PASS' | 'FAIL' | 'SKIP';

export interface GateResult {
  readonly rule: GateRule;
  readonly status: GateStatus;
  /** The figure the rule reads, labelled: `wasted 24.1 MB`, `efficiency 0.9712`, `package-cache: 3 findings, 12 MB`. */
  readonly figure: string;
  /** The comparison as one phrase: `wasted 24.1 MB > limit 20MB`. */
  readonly detail: string;
}

export interface GateVerdict {
  readonly results: readonly GateResult[];
  readonly exitCode: 0 | 1;
}

/** What the gate reads of an analysis; an ImageAnalysis is one. */
export interface GateFigures {
  readonly figures: Pick<ImageFigures, 'imageBytes' | 'removableBytes'>;
  /** Your own layers' figures (the base image's aside): what --max-own-wasted-bytes reads. */
  readonly split: { readonly own: Pick<PartFigures, 'wastedBytes'> };
  readonly dive: Pick<DiveFigures, 'efficiency' | 'wastedBytes' | 'userWastedPercent'>;
  readonly findings: readonly Pick<Finding, 'category' | 'bytes'>[];
}

export function evaluateGate(rules: readonly GateRule[], analysis: GateFigures): GateVerdict {
  const results = rules.map((rule) => (rule.kind === 'fail-on' ? categoryResult(rule, analysis) : thresholdResult(rule, analysis)));
  return { results, exitCode: results.some((result) => result.status === 'FAIL') ? 1 : 0 };
}

/** One line per rule, names aligned, then the verdict; a first line says when only dive's defaults apply. */
export function gateLines(results: readonly GateResult[]): string[] {
  const width = Math.max(0, ...results.map((result) => result.rule.name.length));
  const lines = results.map(
    ({ rule, status, detail }) => `${status}  ${rule.name.padEnd(width)}  ${sanitizeText(detail, { singleLine: true })}  (${rule.source})`,
  );
  if (results.length > 0 && results.every((result) => result.rule.source === 'dive default')) {
    lines.unshift("No CI threshold set in flags, .layerscope.yml or .dive-ci: dive's defaults apply.");
  }
  const count = (status: GateStatus): number => results.filter((result) => result.status === status).length;
  const failed = count('FAIL');
  lines.push(`Result: ${failed > 0 ? 'FAIL' : 'PASS'} (${failed} failed, ${count('PASS')} passed, ${count('SKIP')} skipped)`);
  return lines;
}

function thresholdResult(rule: ThresholdRule, analysis: GateFigures): GateResult {
  const { dive, figures } = analysis;
  const limit = rule.limit;
  switch (rule.kind) {
    case 'min-efficiency': {
      const shown = `efficiency ${ratioText(dive.efficiency, rule.threshold)}`;
      return compare(rule, shown, rule.threshold === null ? null : rule.threshold > dive.efficiency, '<', '>=', limit);
    }
    case 'max-wasted-bytes':
      return bytesResult(rule, 'wasted', dive.wastedBytes);
    case 'max-removable-bytes':
      return bytesResult(rule, 'removable', figures.removableBytes);
    case 'max-own-wasted-bytes':
      return bytesResult(rule, 'wasted in your layers', analysis.split.own.wastedBytes);
    case 'max-size':
      return bytesResult(rule, 'image', figures.imageBytes);
    case 'max-wasted-percent': {
      const ratio = dive.userWastedPercent;
      if (ratio === null) {
        // dive divides by the user layers' size even when it is 0: wasted bytes make the ratio +Inf
        // (fails any limit), none make it NaN (fails none).
        const shown = `user wasted n/a (${formatSize(dive.wastedBytes)} wasted, no bytes above the base layer)`;
        return compare(rule, shown, rule.threshold === null ? null : dive.wastedBytes > 0, '>', '<=', limit);
      }
      // dive's key is a ratio (0.20), layerscope's a percentage (20 or 20%): show the figure the same way.
      const asPercent = rule.name !== 'highestUserWastedPercent';
      const shown = `user wasted ${asPercent ? `${percentText(ratio, rule.threshold)}%` : ratioText(ratio, rule.threshold)}`;
      const written = asPercent && !limit.includes('%') ? `${limit}%` : limit;
      return compare(rule, shown, rule.threshold === null ? null : ratio > rule.threshold, '>', '<=', written);
    }
  }
}

function bytesResult(rule: ThresholdRule, label: string, bytes: number): GateResult {
  const threshold = rule.threshold;
  // Show exact bytes when the rounded forms would look equal to the limit.
  const exact = threshold !== null && bytes !== threshold && formatSize(bytes) === formatSize(threshold);
  const shown = `${label} ${exact ? `${bytes.toLocaleString('en-US')} B` : formatSize(bytes)}`;
  const limit = exact ? `${rule.limit} (${threshold.toLocaleString('en-US')} B)` : rule.limit;
  return compare(rule, shown, threshold === null ? null : bytes > threshold, '>', '<=', limit);
}

function compare(rule: GateRule, figure: string, failed: boolean | null, failOp: string, passOp: string, limit: string): GateResult {
  if (failed === null) return { rule, status: 'SKIP', figure, detail: `${figure}, rule disabled` };
  return { rule, status: failed ? 'FAIL' : 'PASS', figure, detail: `${figure} ${failed ? failOp : passOp} limit ${limit}` };
}

function categoryResult(rule: CategoryRule, analysis: GateFigures): GateResult {
  const matching = analysis.findings.filter((finding) => finding.category === rule.category);
  const bytes = matching.reduce((total, finding) => total + finding.bytes, 0);
  const figure = `${rule.category}: ${matching.length === 0 ? 'no findings' : `${matching.length} finding${matching.length === 1 ? '' : 's'}, ${formatSize(bytes)}`}`;
  return { rule, status: matching.length > 0 ? 'FAIL' : 'PASS', figure, detail: figure };
}

/** A ratio with 4 decimals, or more when 4 would put it on the wrong side of (or onto) the limit. */
function ratioText(value: number, limit: number | null): string {
  return keepSide(value, limit, 4, 0);
}

/** A ratio as a percentage with 2 decimals, or more when needed to keep its side of the limit. */
function percentText(ratio: number, limit: number | null): string {
  return keepSide(ratio, limit, 2, 2);
}

/** `value` × 10^shift with the fewest decimals (at least `digits`) that compare to `limit` as `value` does. */
function keepSide(value: number, limit: number | null, digits: number, shift: 0 | 2): string {
  const format = (decimals: number): string => (shift === 2 ? value * 100 : value).toFixed(decimals);
  if (limit === null) return format(digits);
  const side = Math.sign(value - limit);
  for (let decimals = digits; decimals <= 17; decimals++) {
    const text = format(decimals);
    if (Math.sign(Number(`${text}e-${shift}`) - limit) === side) return text;
  }
  return format(17);
}
