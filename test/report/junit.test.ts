import { parse, type TestCase, type TestSuites } from 'junit2json';
import { describe, expect, it } from 'vitest';
import { evaluateGate, gateRules } from '../../src/report/ci.js';
import { junitReport } from '../../src/report/junit.js';
import { HOSTILE_NAME, locatedAnalysis } from '../helpers/located.js';

async function report(flags: Parameters<typeof gateRules>[0]['flags']): Promise<{ xml: string; suites: TestSuites }> {
  const analysis = await locatedAnalysis();
  const gate = evaluateGate(gateRules({ flags }), analysis).results;
  const xml = junitReport(analysis, { reference: 'app:pr', gate, top: 5 });
  // junit2json reads it as JUnit (through xml2js, a real XML parser): malformed XML throws.
  return { xml, suites: (await parse(xml)) as TestSuites };
}

const cases = (suites: TestSuites, at: number): TestCase[] => suites.testsuite?.[at]?.testcase ?? [];
const status = (testCase: TestCase): string => (testCase.failure ? 'failed' : testCase.skipped ? 'skipped' : 'passed');

describe('the JUnit report', () => {
  it('has one test case per gate rule, failed, passed or skipped as the gate decided', async () => {
    const { suites } = await report({ maxSize: '1MB', minEfficiency: '0.5', failOn: ['package-cache'] });
    expect(suites.testsuite?.map((suite) => suite.name)).toEqual(['layerscope gate: app:pr', 'layerscope findings: app:pr']);
    // Image bytes are 41,310 (2,000 + 35,000 + 4,310): under 1 MB; the apt list fails --fail-on.
    expect(cases(suites, 0).map((testCase) => `${testCase.name}=${status(testCase)}`)).toEqual(['--min-efficiency=passed', '--max-size=passed', '--fail-on=failed']);
    expect(cases(suites, 0)[2]?.failure?.[0]?.message).toBe('package-cache: 1 finding, 5 kB');
    expect([suites.tests, suites.failures, suites.testsuite?.[0]?.failures]).toEqual([7, 2, 1]);
  });

  it('has one test case per category with findings: failed when the gate fails on it, skipped otherwise', async () => {
    const { suites } = await report({ failOn: ['package-cache'] });
    const findings = cases(suites, 1);
    expect(findings.map((testCase) => `${testCase.name}=${status(testCase)}`)).toEqual([
      'deleted-later=skipped',
      'package-cache=failed',
      'toolchain=skipped',
      'build-context=skipped',
    ]);
    expect(findings[1]?.failure?.[0]?.message).toBe('1 finding, 5 kB: Package manager caches and lists (apt, apk, dnf/yum/zypper) left in the image');
    expect(findings[1]?.failure?.[0]?.inner).toContain('layer 1 (RUN apt-get update && apt-get install -y gcc, ci/Dockerfile:3)');
  });

  it('escapes XML and keeps control characters out, so a hostile file name reads back as text', async () => {
    const { xml, suites } = await report({});
    expect(xml).not.toContain('\u001b');
    const gitDir = cases(suites, 1).find((testCase) => testCase.name === 'build-context');
    expect(gitDir?.['system-out']?.[0]).toContain(`/${HOSTILE_NAME.replace('\u001b', '\\x1b')}`);
  });
});
