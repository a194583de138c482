// `--report sarif`: SARIF 2.1.0 for code-scanning views (GitHub code scanning, Azure DevOps, IDEs).
// One rule per finding category; one result per finding, on the Dockerfile line of the layer that
// added the bytes when the history was placed (--dockerfile, `layerscope build`), with bytes and
// layer in its properties. A result without a place has no location, which SARIF allows.

import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { ImageAnalysis } from '../analysis/analyse.js';
import type { Finding } from '../analysis/findings.js';
import { CATEGORIES, CATEGORY_DESCRIPTIONS, HIDDEN_RULES, PATH_RULES, type Category, type Severity } from '../analysis/rules.js';
import { sanitizeText } from '../sanitize.js';
import { findingMessage, reportPath } from './ci-text.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifReportOptions {
  readonly reference: string;
  readonly toolVersion: string;
  /** Paths per result, in its properties. */
  readonly top: number;
}

export function sarifReport(analysis: ImageAnalysis, options: SarifReportOptions): string {
  return `${JSON.stringify(sarifLog(analysis, options), null, 2)}\n`;
}

function sarifLog(analysis: ImageAnalysis, options: SarifReportOptions): Log {
  const rules = CATEGORIES.map((category): ReportingDescriptor => ({
    id: category,
    name: category.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => letter.toUpperCase()),
    shortDescription: { text: CATEGORY_DESCRIPTIONS[category] },
    help: { text: categoryHelp(category) },
    defaultConfiguration: { level: level(severityOf(category)) },
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'layerscope', version: options.toolVersion, rules } },
        results: analysis.findings.map((finding) => result(finding, CATEGORIES.indexOf(finding.category), options.top)),
        properties: { image: sanitizeText(options.reference, { singleLine: true }), imageId: analysis.image.id },
      },
    ],
  };
}

function result(finding: Finding, ruleIndex: number, top: number): Result {
  const location = finding.layer.location;
  return {
    ruleId: finding.category,
    ruleIndex,
    level: level(finding.severity),
    message: { text: findingMessage(finding) },
    ...(location
      ? {
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifact(location.file),
                region: { startLine: location.line, endLine: location.endLine },
              },
            },
          ],
        }
      : {}),
    properties: {
      rule: finding.ruleId,
      bytes: finding.bytes,
      files: finding.files,
      layer: finding.layer.index,
      hiddenByLayer: finding.hiddenBy?.index ?? null,
      ...(location ? { stage: location.stageName ?? location.stage, fromBaseImage: location.kind === 'base' } : {}),
      paths: finding.paths.slice(0, top).map((item) => sanitizeText(`/${item.path}`, { singleLine: true })),
    },
  };
}

/** A relative path against the checkout (%SRCROOT%, as code-scanning uploads expect); an absolute one as a file: URI. */
function artifact(file: string): { uri: string; uriBaseId?: string } {
  if (file.startsWith('/')) return { uri: pathToFileURL(file).href };
  return { uri: encodeURI(reportPath(file)), uriBaseId: '%SRCROOT%' };
}

function severityOf(category: Category): Severity {
  return [...HIDDEN_RULES, ...PATH_RULES].some((rule) => rule.category === category && rule.severity === 'high') ? 'high' : 'low';
}

const level = (severity: Severity): 'warning' | 'note' => (severity === 'high' ? 'warning' : 'note');

/** The fixes the category's rules give, one per line. */
function categoryHelp(category: Category): string {
  const rules = [...HIDDEN_RULES, ...PATH_RULES].filter((rule) => rule.category === category);
  return rules.map((rule) => `${rule.title}: ${rule.advice}`).join('\n');
}
