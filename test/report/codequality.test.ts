import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { codeQualityIssues, codeQualityReport, type CodeQualityIssue } from '../../src/report/codequality.js';
import { locatedAnalysis } from '../helpers/located.js';
import { analyseLayers, file } from '../helpers/archives.js';

const schema = JSON.parse(readFileSync(new URL('schemas/gitlab-codequality.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020({ strict: true, allErrors: true });
const validate = ajv.compile(schema);

function valid(text: string): CodeQualityIssue[] {
  const issues = JSON.parse(text) as CodeQualityIssue[];
  expect(validate(issues), ajv.errorsText(validate.errors)).toBe(true);
  return issues;
}

describe('the GitLab code quality report', () => {
  it('has the fields GitLab requires, each finding on its Dockerfile line, with distinct fingerprints', async () => {
    const issues = valid(codeQualityReport(await locatedAnalysis('./ci/Dockerfile'), './ci/Dockerfile'));
    expect(issues.map((issue) => [issue.check_name, issue.severity, issue.location.path, issue.location.lines.begin, issue.location.lines.end])).toEqual([
      ['layerscope/c-toolchain', 'major', 'ci/Dockerfile', 3, 4],
      ['layerscope/apt-lists', 'major', 'ci/Dockerfile', 3, 4],
      ['layerscope/deleted-later', 'major', 'ci/Dockerfile', 5, 5],
      ['layerscope/git-dir', 'major', 'ci/Dockerfile', 5, 5],
    ]);
    expect(new Set(issues.map((issue) => issue.fingerprint)).size).toBe(4);
    // The same image and Dockerfile give the same fingerprints (GitLab compares them between runs).
    expect(codeQualityIssues(await locatedAnalysis('./ci/Dockerfile'), './ci/Dockerfile').map((issue) => issue.fingerprint)).toEqual(issues.map((issue) => issue.fingerprint));
    expect(JSON.stringify(issues)).not.toMatch(/\\u001b/);
    expect(validate([{ ...issues[0], severity: 'warning' }])).toBe(false);
  });

  it('puts a finding whose step was not placed on line 1, and says so', async () => {
    const analysis = await analyseLayers([[file('bin/sh', 100)], [file('var/lib/apt/lists/x_Packages', 700)]]);
    const [issue] = valid(codeQualityReport(analysis, 'Dockerfile'));
    expect(issue?.location).toEqual({ path: 'Dockerfile', lines: { begin: 1, end: 1 } });
    expect(issue?.description).toMatch(/could not be placed on a line of Dockerfile\)$/);
  });
});
