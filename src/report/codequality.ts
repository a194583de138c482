// `--report codequality`: GitLab's Code Quality report (a subset of Code Climate's issue format),
// shown in merge requests. GitLab needs every issue on a file and line, so the command asks for a
// Dockerfile; a finding whose layer could not be placed goes on line 1 and says so.

import { createHash } from 'node:crypto';
import type { ImageAnalysis } from '../analysis/analyse.js';
import type { Finding } from '../analysis/findings.js';
import type { Severity } from '../analysis/rules.js';
import { findingMessage, reportPath } from './ci-text.js';

export interface CodeQualityIssue {
  readonly type: 'issue';
  readonly check_name: string;
  readonly description: string;
  readonly categories: readonly string[];
  readonly severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  readonly fingerprint: string;
  readonly location: { readonly path: string; readonly lines: { readonly begin: number; readonly end: number } };
}

export function codeQualityReport(analysis: ImageAnalysis, dockerfile: string): string {
  return `${JSON.stringify(codeQualityIssues(analysis, dockerfile), null, 2)}\n`;
}

export function codeQualityIssues(analysis: ImageAnalysis, dockerfile: string): CodeQualityIssue[] {
  return analysis.findings.map((finding) => issue(finding, reportPath(dockerfile)));
}

function issue(finding: Finding, dockerfile: string): CodeQualityIssue {
  const location = finding.layer.location;
  const description = location ? findingMessage(finding) : `${findingMessage(finding)} (this layer's step could not be placed on a line of ${dockerfile})`;
  const path = location ? reportPath(location.file) : dockerfile;
  return {
    type: 'issue',
    check_name: `layerscope/${finding.ruleId}`,
    description,
    // Code Climate's category for size and redundancy problems.
    categories: ['Performance'],
    severity: severity(finding.severity),
    // Stable across runs of the same image and Dockerfile, distinct per finding.
    fingerprint: createHash('sha256')
      .update([finding.ruleId, path, location?.line ?? 0, finding.layer.index, finding.hiddenBy?.index ?? ''].join('\u0000'))
      .digest('hex')
      .slice(0, 32),
    location: { path, lines: { begin: location?.line ?? 1, end: location?.endLine ?? 1 } },
  };
}

const severity = (value: Severity): CodeQualityIssue['severity'] => (value === 'high' ? 'major' : 'info');
