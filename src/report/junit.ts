// `--report junit`: JUnit XML for test panels (GitLab, Jenkins, Azure DevOps). Two suites: the
// gate, one test case per rule (PASS passes, FAIL fails, SKIP is skipped, with the rule's
// comparison as the message), and the findings, one test case per category that has findings —
// failed when a gate rule fails on that category (`--fail-on`), skipped otherwise (reported, not
// gated). The XML is written by xmlbuilder2, which escapes text and attributes; text from the image
// is sanitised first, and characters XML cannot carry are replaced.

import prettyBytes from 'pretty-bytes';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { ImageAnalysis } from '../analysis/analyse.js';
import type { Finding } from '../analysis/findings.js';
import { CATEGORIES, CATEGORY_DESCRIPTIONS } from '../analysis/rules.js';
import { sanitizeText } from '../sanitize.js';
import type { GateResult } from './ci.js';
import { findingMessage, reportPath } from './ci-text.js';

export interface JunitReportOptions {
  readonly reference: string;
  /** The gate's rules and their results (the same the --ci verdict prints). */
  readonly gate: readonly GateResult[];
  /** Findings listed per category. */
  readonly top: number;
}

interface Case {
  readonly name: string;
  readonly classname: string;
  readonly file?: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly message: string;
  readonly body: string;
}

export function junitReport(analysis: ImageAnalysis, options: JunitReportOptions): string {
  const image = sanitizeText(options.reference, { singleLine: true });
  const suites = [
    { name: `layerscope gate: ${image}`, cases: options.gate.map(gateCase) },
    { name: `layerscope findings: ${image}`, cases: categoryCases(analysis.findings, options.gate, options.top) },
  ];
  const all = suites.flatMap((suite) => suite.cases);
  const root = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' }).ele('testsuites', {
    name: 'layerscope',
    ...counts(all),
  });
  for (const suite of suites) {
    const element = root.ele('testsuite', { name: suite.name, ...counts(suite.cases) });
    for (const testCase of suite.cases) addCase(element, testCase);
  }
  return `${root.end({ prettyPrint: true })}\n`;
}

function counts(cases: readonly Case[]): Record<string, string> {
  const count = (status: Case['status']): string => String(cases.filter((testCase) => testCase.status === status).length);
  return { tests: String(cases.length), failures: count('failed'), errors: '0', skipped: count('skipped') };
}

function addCase(suite: XMLBuilder, testCase: Case): void {
  const element = suite.ele('testcase', {
    name: testCase.name,
    classname: testCase.classname,
    ...(testCase.file === undefined ? {} : { file: testCase.file }),
  });
  if (testCase.status === 'failed') element.ele('failure', { message: testCase.message, type: testCase.classname }).txt(testCase.body);
  else if (testCase.status === 'skipped') element.ele('skipped', { message: testCase.message });
  if (testCase.status !== 'failed' && testCase.body) element.ele('system-out').txt(testCase.body);
}

function gateCase(result: GateResult): Case {
  const detail = sanitizeText(result.detail, { singleLine: true });
  return {
    name: result.rule.name,
    classname: 'layerscope.gate',
    status: result.status === 'PASS' ? 'passed' : result.status === 'FAIL' ? 'failed' : 'skipped',
    message: detail,
    body: `${result.status} ${result.rule.name}: ${detail} (${result.rule.source})`,
  };
}

function categoryCases(findings: readonly Finding[], gate: readonly GateResult[], top: number): Case[] {
  const cases: Case[] = [];
  for (const category of CATEGORIES) {
    const inCategory = findings.filter((finding) => finding.category === category);
    if (inCategory.length === 0) continue;
    const bytes = inCategory.reduce((sum, finding) => sum + finding.bytes, 0);
    const gated = gate.find((result) => result.rule.kind === 'fail-on' && result.rule.category === category);
    const location = inCategory[0]?.layer.location;
    const summary = `${inCategory.length} finding${inCategory.length === 1 ? '' : 's'}, ${prettyBytes(bytes)}: ${CATEGORY_DESCRIPTIONS[category]}`;
    cases.push({
      name: category,
      classname: 'layerscope.findings',
      ...(location ? { file: reportPath(location.file) } : {}),
      status: gated?.status === 'FAIL' ? 'failed' : 'skipped',
      message: gated ? summary : `${summary} (not gated: --fail-on ${category} would fail on it)`,
      body: inCategory.slice(0, top).map(findingMessage).join('\n'),
    });
  }
  return cases;
}

