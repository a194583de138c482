// GitHub Actions workflow commands for `--ci` when GITHUB_ACTIONS=true: a `::warning` (or
// `::notice` for low-severity categories) per finding, on its Dockerfile line when the history was
// placed, and an `::error` per failed gate rule. Escaped as the runner reads them (the rules of
// @actions/core's command.ts): in the message `%`, CR and LF; in properties also `:` and `,`, so
// nothing from an image can end a property, start a new command, or run `::stop-commands::`.

import type { ImageAnalysis } from '../analysis/analyse.js';
import type { Finding } from '../analysis/findings.js';
import { sanitizeText } from '../sanitize.js';
import type { GateResult } from './ci.js';
import { findingMessage, reportPath } from './ci-text.js';

/** The workflow command lines, findings largest first (at most `top`), then failed rules. */
export function githubAnnotations(analysis: ImageAnalysis, gate: readonly GateResult[], top: number): string[] {
  const findings = analysis.findings.slice(0, top).map(findingAnnotation);
  const failed = gate
    .filter((result) => result.status === 'FAIL')
    .map((result) => command('error', { title: `layerscope gate: ${result.rule.name}` }, `${result.detail} (${result.rule.source})`));
  return [...findings, ...failed];
}

function findingAnnotation(finding: Finding): string {
  const location = finding.layer.location;
  return command(
    finding.severity === 'high' ? 'warning' : 'notice',
    {
      title: `layerscope: ${finding.category}`,
      ...(location ? { file: reportPath(location.file), line: String(location.line), endLine: String(location.endLine) } : {}),
    },
    findingMessage(finding),
  );
}

function command(name: 'warning' | 'notice' | 'error', properties: Readonly<Record<string, string>>, message: string): string {
  const list = Object.entries(properties).map(([key, value]) => `${key}=${escapeProperty(value)}`);
  return `::${name}${list.length > 0 ? ` ${list.join(',')}` : ''}::${escapeData(message)}`;
}

/** Control characters made visible first; then the runner's own escapes. */
function escapeData(text: string): string {
  return sanitizeText(text, { singleLine: true }).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
