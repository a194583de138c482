// The JSON report against schema/report.schema.json: reports the code writes validate, and the
// schema rejects what a consumer must never see, so a schema loosened by mistake fails here too.

import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyseImage } from '../../src/analysis/analyse.js';
import { compareVersions, type VersionComparison } from '../../src/analysis/compare-versions.js';
import { compareStages, type StageComparison } from '../../src/analysis/compare.js';
import { HIDDEN_RULES, PATH_RULES } from '../../src/analysis/rules.js';
import { readImageArchive } from '../../src/archive/read-image-archive.js';
import { jsonReportValue, type JsonReportOptions } from '../../src/report/json.js';
import { demoArchive } from '../../src/sources/demo-image.js';
import { chunked, parseSpec, type TarEntrySpec } from '../helpers/archives.js';
import { builderHistory, builderLayers, finalHistory, finalLayers } from '../helpers/stages.js';

const readJson = (relative: string): unknown => JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8'));
const schema = readJson('../../schema/report.schema.json') as Record<string, unknown>;
const golden = readJson('./golden/demo.json');
const options: JsonReportOptions = { source: { kind: 'demo', reference: 'demo' }, toolVersion: '0.0.0-test', top: 5 };

const ajv = new Ajv2020({ strict: true, allErrors: true });
const validate = ajv.compile(schema);

/** The report's violations, as `<JSON pointer> <keyword>` (empty when it is valid). */
function violations(report: unknown): string[] {
  return validate(report) ? [] : (validate.errors ?? []).map((error: ErrorObject) => `${error.instancePath} ${error.keyword}`);
}

/** A copy of the report with the value at `path` replaced, or removed when `value` is omitted. */
function edited(report: unknown, path: readonly (string | number)[], ...value: [unknown?]): unknown {
  const copy = structuredClone(report);
  let parent: unknown = copy;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[key];
  const last = path[path.length - 1] as string | number;
  const target = parent as Record<string | number, unknown>;
  if (value.length === 0) delete target[last];
  else target[last] = value[0];
  return copy;
}

const image = (layers: TarEntrySpec[][], history: string[], hashContent = true) =>
  parseSpec({ layout: 'docker-save', images: [{ layers, history: history.map((createdBy) => ({ createdBy })) }] }, { hashContent });

async function comparisonReport(hashContent: boolean): Promise<{ report: unknown; comparison: StageComparison }> {
  const final = analyseImage(await image(finalLayers, finalHistory, hashContent));
  const builder = analyseImage(await image(builderLayers, builderHistory, hashContent), { role: 'builder' });
  const comparison = compareStages(final, [{ name: 'builder', reference: 'app:builder', analysis: builder }], 'app:final');
  return { report: jsonReportValue(final, { ...options, source: { kind: 'engine', reference: 'app:final' }, comparison }), comparison };
}

/** The final image as a new version of the builder image (--compare): smaller, with findings gone. */
async function versionsReport(): Promise<{ report: unknown; versions: VersionComparison }> {
  const current = analyseImage(await image(finalLayers, finalHistory));
  const versions = compareVersions(current, analyseImage(await image(builderLayers, builderHistory)), { current: 'app:pr', other: 'app:main' });
  return { report: jsonReportValue(current, { ...options, source: { kind: 'engine', reference: 'app:pr' }, versions }), versions };
}

describe('the JSON report schema', () => {
  let demo: unknown;
  beforeAll(async () => {
    demo = jsonReportValue(analyseImage(await readImageArchive(chunked(await demoArchive()), { source: 'demo' })), options);
  });

  it('is a valid draft 2020-12 schema that compiles in strict mode', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(ajv.validateSchema(schema), ajv.errorsText(ajv.errors)).toBe(true);
    expect(() => new Ajv2020({ strict: true }).compile(schema)).not.toThrow();
  });

  it('accepts the report of the demo image', () => {
    expect(violations(demo)).toEqual([]);
  });

  it('accepts the reviewed golden file', () => {
    expect(violations(golden)).toEqual([]);
  });

  it('accepts a report with a stage comparison matched by content digest', async () => {
    const { report, comparison } = await comparisonReport(true);
    // Every list of the comparison has items, so the schema's item shapes are exercised.
    expect(comparison.carriedOver.list.map((item) => item.match)).toContain('digest');
    expect(comparison.leftBehind.categories.length).toBeGreaterThan(0);
    expect(comparison.stillInFinal.length).toBeGreaterThan(0);
    expect(violations(report)).toEqual([]);
  });

  it('accepts a report with a stage comparison matched by path and size', async () => {
    const { report, comparison } = await comparisonReport(false);
    expect(comparison.carriedOver.list.map((item) => item.match)).toEqual(['path-size']);
    expect(violations(report)).toEqual([]);
  });

  it('accepts a report compared with another version, smaller by a negative size change', async () => {
    const { report, versions } = await versionsReport();
    expect(versions.sizeChange).toBeLessThan(0);
    expect(versions.removed.categories.length).toBeGreaterThan(0);
    expect(versions.added.categories.length).toBeGreaterThan(0);
    expect(versions.findingsGone.length).toBeGreaterThan(0);
    expect(violations(report)).toEqual([]);
  });

  it('names every category of the rule table, and no other', () => {
    const defs = schema.$defs as { category: { enum: string[] } };
    const categories = new Set([...HIDDEN_RULES, ...PATH_RULES].map((rule) => rule.category));
    expect([...defs.category.enum].sort()).toEqual([...categories].sort());
  });

  it('rejects bytes written as a string', () => {
    expect(violations(edited(demo, ['figures', 'imageBytes'], '50490093'))).toContain('/figures/imageBytes type');
  });

  it('rejects bytes that are not whole numbers', () => {
    expect(violations(edited(demo, ['layers', 0, 'bytes'], 1.5))).toContain('/layers/0/bytes type');
  });

  it('rejects a negative size', () => {
    expect(violations(edited(demo, ['largestFiles', 0, 'bytes'], -1))).toContain('/largestFiles/0/bytes minimum');
  });

  it('rejects an unknown top-level key', () => {
    expect(violations(edited(demo, ['extra'], true))).toContain(' additionalProperties');
  });

  it('rejects a report missing a required key', () => {
    expect(violations(edited(demo, ['figures']))).toContain(' required');
    expect(violations(edited(demo, ['stageComparison']))).toContain(' required');
    expect(violations(edited(demo, ['comparedWith']))).toContain(' required');
    expect(violations(edited(demo, ['layers', 0, 'digest']))).toContain('/layers/0 required');
  });

  it('rejects another schema version, an unknown category, an unknown match kind and a fractional size change', async () => {
    expect(violations(edited(demo, ['schemaVersion'], 1))).toContain('/schemaVersion const');
    expect(violations(edited(demo, ['findings', 0, 'category'], 'misc'))).toContain('/findings/0/category enum');
    const { report } = await comparisonReport(true);
    expect(violations(edited(report, ['stageComparison', 'carriedOver', 'list', 0, 'match'], 'name'))).toContain('/stageComparison/carriedOver/list/0/match enum');
    const { report: versions } = await versionsReport();
    expect(violations(edited(versions, ['comparedWith', 'sizeChange'], -0.5))).toContain('/comparedWith/sizeChange type');
  });
});
