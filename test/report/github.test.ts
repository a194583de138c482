import * as core from '@actions/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findingMessage } from '../../src/report/ci-text.js';
import { evaluateGate, gateRules } from '../../src/report/ci.js';
import { githubAnnotations } from '../../src/report/github.js';
import { HOSTILE_NAME, locatedAnalysis } from '../helpers/located.js';

/** What GitHub's own toolkit writes for an annotation: the oracle for the runner's escaping. */
function toolkit(write: () => void): string {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    write();
  } finally {
    spy.mockRestore();
  }
  return lines.join('').trimEnd();
}

afterEach(() => vi.restoreAllMocks());

describe('GitHub workflow annotations', () => {
  it('writes each finding as @actions/core would, on its Dockerfile lines, escaped as the runner requires', async () => {
    const analysis = await locatedAnalysis();
    const lines = githubAnnotations(analysis, [], 10);
    expect(lines).toHaveLength(4);
    analysis.findings.forEach((finding, at) => {
      const location = finding.layer.location;
      const expected = toolkit(() =>
        core.warning(findingMessage(finding), {
          title: `layerscope: ${finding.category}`,
          file: location?.file ?? '',
          startLine: location?.line ?? 0,
          endLine: location?.endLine ?? 0,
        }),
      );
      expect(lines[at]).toBe(expected);
    });
    expect(lines[0]).toMatch(/^::warning title=layerscope%3A toolchain,file=ci\/Dockerfile,line=3,endLine=4::/);
  });

  it('leaves nothing from the image able to start or end a command', async () => {
    const lines = githubAnnotations(await locatedAnalysis(), [], 10);
    const gitDir = lines.find((line) => line.includes('build-context')) ?? '';
    // One line, no raw control character; the hostile name's `%` is escaped. The runner ends the
    // properties at the first `::`, so the name's own `::` stays inside the message.
    expect(gitDir).not.toMatch(/[\u0000-\u001f]/);
    expect(gitDir).toContain(`/${HOSTILE_NAME.replace('\u001b', '\\x1b').replace('%', '%25')}`);
    expect(gitDir.slice(0, gitDir.indexOf('::', 2))).toBe('::warning title=layerscope%3A build-context,file=ci/Dockerfile,line=5,endLine=5');
  });

  it('adds an error for each failed gate rule', async () => {
    const analysis = await locatedAnalysis();
    const gate = evaluateGate(gateRules({ flags: { failOn: ['toolchain'], maxSize: '1GB' } }), analysis).results;
    const errors = githubAnnotations(analysis, gate, 0);
    expect(errors).toEqual([toolkit(() => core.error('toolchain: 1 finding, 30 kB (flag)', { title: 'layerscope gate: --fail-on' }))]);
  });
});
