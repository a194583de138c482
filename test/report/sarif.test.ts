import { readFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type { Log } from 'sarif';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/analysis/rules.js';
import { sarifReport } from '../../src/report/sarif.js';
import { analyseLayers, file } from '../helpers/archives.js';
import { HOSTILE_NAME, locatedAnalysis } from '../helpers/located.js';

// The official SARIF 2.1.0 schema (see schemas/README.md), draft-04, formats checked.
const schema = JSON.parse(readFileSync(new URL('schemas/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8')) as object;
// The schema's `language` pattern ends in a stray `]`, legal only without the regex u flag.
// Both are CommonJS modules whose default export Node hands over as `.default`.
const Ajv = AjvDraft04.default;
const addFormats = ajvFormats.default;
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function valid(text: string): Log {
  const log = JSON.parse(text) as Log;
  expect(validate(log), ajv.errorsText(validate.errors)).toBe(true);
  return log;
}

describe('the SARIF report', () => {
  it('validates against the SARIF 2.1.0 schema, with one rule per category', async () => {
    const log = valid(sarifReport(await locatedAnalysis(), { reference: 'app:pr', toolVersion: '1.2.3', top: 5 }));
    expect(log.version).toBe('2.1.0');
    const driver = log.runs[0]?.tool.driver;
    expect(driver?.rules?.map((rule) => rule.id)).toEqual([...CATEGORIES]);
    expect(driver?.rules).toHaveLength(9);
    // The validator does reject what is not SARIF 2.1.0.
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
    expect(validate({ ...log, runs: [{ ...log.runs[0], results: [{ message: { text: 'x' }, level: 'fatal' }] }] })).toBe(false);
  });

  it('puts each result on the Dockerfile line of the layer that added the bytes, with bytes and layer in its properties', async () => {
    const log = valid(sarifReport(await locatedAnalysis(), { reference: 'app:pr', toolVersion: '1.2.3', top: 5 }));
    const results = log.runs[0]?.results ?? [];
    const placed = results.map((result) => {
      const location = result.locations?.[0]?.physicalLocation;
      return [result.ruleId, location?.artifactLocation?.uri, location?.artifactLocation?.uriBaseId, location?.region?.startLine, location?.region?.endLine, result.properties?.['bytes'], result.properties?.['layer']];
    });
    // gcc and the apt list: the RUN on lines 3-4 (layer 1); the COPY on line 5 (layer 2).
    expect(placed).toEqual([
      ['toolchain', 'ci/Dockerfile', '%SRCROOT%', 3, 4, 30_000, 1],
      ['package-cache', 'ci/Dockerfile', '%SRCROOT%', 3, 4, 5_000, 1],
      ['deleted-later', 'ci/Dockerfile', '%SRCROOT%', 5, 5, 4_000, 2],
      ['build-context', 'ci/Dockerfile', '%SRCROOT%', 5, 5, 310, 2],
    ]);
    for (const result of results) expect(result.ruleIndex === undefined ? undefined : log.runs[0]?.tool.driver.rules?.[result.ruleIndex]?.id).toBe(result.ruleId);
  });

  it('keeps text from the image inert: no control character reaches the log', async () => {
    const text = sarifReport(await locatedAnalysis(), { reference: 'app:pr', toolVersion: '1.2.3', top: 5 });
    const log = valid(text);
    const gitDir = log.runs[0]?.results?.find((result) => result.ruleId === 'build-context');
    expect(gitDir?.properties?.['paths']).toContain(`/${HOSTILE_NAME.replace('\u001b', '\\x1b')}`);
    expect(JSON.stringify(log)).not.toMatch(/\\u001b/);
  });

  it('writes results without a location when no Dockerfile was given, still valid', async () => {
    const analysis = await analyseLayers([[file('bin/sh', 100)], [file('var/lib/apt/lists/x_Packages', 700)]]);
    const log = valid(sarifReport(analysis, { reference: 'app', toolVersion: '1.2.3', top: 5 }));
    expect(log.runs[0]?.results?.map((result) => [result.ruleId, result.locations])).toEqual([['package-cache', undefined]]);
  });
});
