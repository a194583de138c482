import { describe, expect, it } from 'vitest';
import type { Category } from '../../src/analysis/rules.js';
import { UsageError } from '../../src/errors.js';
import { evaluateGate, gateLines, gateRules, type GateFigures, type GateInput } from '../../src/report/ci.js';
import { goFloatText } from '../../src/report/yaml-values.js';
import { analyseImage } from '../../src/analysis/analyse.js';
import { analyseLayers, dir, file, parseSpec, whiteout } from '../helpers/archives.js';

// The figures are plain numbers in an ImageAnalysis, so hand-made ones are the real input shape.
function figures(overrides: {
  efficiency?: number;
  wastedBytes?: number;
  userWastedPercent?: number | null;
  imageBytes?: number;
  removableBytes?: number;
  ownWastedBytes?: number;
  findings?: { category: Category; bytes: number }[];
}): GateFigures {
  return {
    figures: { imageBytes: overrides.imageBytes ?? 100_000_000, removableBytes: overrides.removableBytes ?? 0 },
    split: { own: { wastedBytes: overrides.ownWastedBytes ?? 0 } },
    dive: {
      efficiency: overrides.efficiency ?? 1,
      wastedBytes: overrides.wastedBytes ?? 0,
      userWastedPercent: overrides.userWastedPercent === undefined ? 0 : overrides.userWastedPercent,
    },
    findings: overrides.findings ?? [],
  };
}

function gate(input: Partial<GateInput>, analysis: GateFigures) {
  const verdict = evaluateGate(gateRules({ flags: {}, ...input }), analysis);
  return { ...verdict, lines: gateLines(verdict.results), statuses: verdict.results.map((r) => `${r.rule.name}=${r.status}`) };
}

function usageError(input: Partial<GateInput>): UsageError {
  try {
    gateRules({ flags: {}, ...input });
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

// The example from dive's README ("CI Integration"), comments included.
const README_DIVE_CI = `rules:
  # If the efficiency is measured below X%, mark as failed.
  # Expressed as a ratio between 0-1.
  lowestEfficiency: 0.95

  # If the amount of wasted space is at least X or larger than X, mark as failed.
  # Expressed in B, KB, MB, and GB.
  highestWastedBytes: 20MB

  # If the amount of wasted space makes up for X% or more of the image, mark as failed.
  # Note: the base image layer is NOT included in the total image size.
  # Expressed as a ratio between 0-1; fails if the threshold is met or crossed.
  highestUserWastedPercent: 0.20
`;

describe("the .dive-ci example from dive's README", () => {
  it('reads three rules with the limits dive reads', () => {
    expect(gateRules({ flags: {}, diveCi: README_DIVE_CI })).toEqual([
      { kind: 'min-efficiency', name: 'lowestEfficiency', source: '.dive-ci', limit: '0.95', threshold: 0.95 },
      { kind: 'max-wasted-bytes', name: 'highestWastedBytes', source: '.dive-ci', limit: '20MB', threshold: 20_000_000 },
      { kind: 'max-wasted-percent', name: 'highestUserWastedPercent', source: '.dive-ci', limit: '0.2', threshold: 0.2 },
    ]);
  });

  it('fails an image at 94% efficiency with 24.1 MB wasted, and passes its 15% user waste', () => {
    const result = gate({ diveCi: README_DIVE_CI }, figures({ efficiency: 0.94, wastedBytes: 24_100_000, userWastedPercent: 0.15 }));
    expect(result.exitCode).toBe(1);
    expect(result.lines).toEqual([
      'FAIL  lowestEfficiency          efficiency 0.9400 < limit 0.95  (.dive-ci)',
      'FAIL  highestWastedBytes        wasted 24.1 MB > limit 20MB  (.dive-ci)',
      'PASS  highestUserWastedPercent  user wasted 0.1500 <= limit 0.2  (.dive-ci)',
      'Result: FAIL (2 failed, 1 passed, 0 skipped)',
    ]);
  });

  it('passes an image under every limit', () => {
    const result = gate({ diveCi: README_DIVE_CI }, figures({ efficiency: 0.97, wastedBytes: 1_000_000, userWastedPercent: 0.05 }));
    expect(result.exitCode).toBe(0);
    expect(result.statuses).toEqual(['lowestEfficiency=PASS', 'highestWastedBytes=PASS', 'highestUserWastedPercent=PASS']);
    expect(result.lines.at(-1)).toBe('Result: PASS (0 failed, 3 passed, 0 skipped)');
  });

  it("passes figures equal to the limits, as dive's strict comparisons do", () => {
    const result = gate({ diveCi: README_DIVE_CI }, figures({ efficiency: 0.95, wastedBytes: 20_000_000, userWastedPercent: 0.2 }));
    expect(result.statuses).toEqual(['lowestEfficiency=PASS', 'highestWastedBytes=PASS', 'highestUserWastedPercent=PASS']);
  });

  it('fails figures one step past the limits, and prints them so the step shows', () => {
    const result = gate(
      { diveCi: README_DIVE_CI },
      figures({ efficiency: 0.95 - 1e-9, wastedBytes: 20_000_001, userWastedPercent: 0.2 + 1e-9 }),
    );
    expect(result.statuses).toEqual(['lowestEfficiency=FAIL', 'highestWastedBytes=FAIL', 'highestUserWastedPercent=FAIL']);
    expect(result.results.map((r) => r.detail)).toEqual([
      'efficiency 0.949999999 < limit 0.95',
      'wasted 20,000,001 B > limit 20MB (20,000,000 B)',
      'user wasted 0.200000001 > limit 0.2',
    ]);
  });
});

describe('.dive-ci read as dive reads it', () => {
  it.each(['disabled', '"disabled"'])('skips a rule whose value is %s', (value) => {
    const result = gate(
      { diveCi: `rules:\n  lowestEfficiency: ${value}\n  highestWastedBytes: ${value}\n  highestUserWastedPercent: ${value}\n` },
      figures({ efficiency: 0.1, wastedBytes: 24_100_000, userWastedPercent: 0.9 }),
    );
    expect(result.exitCode).toBe(0);
    expect(result.statuses).toEqual(['lowestEfficiency=SKIP', 'highestWastedBytes=SKIP', 'highestUserWastedPercent=SKIP']);
    expect(result.results[1]?.detail).toBe('wasted 24.1 MB, rule disabled');
  });

  it("keeps dive's defaults (0.9, disabled, 0.1) for keys the file leaves out or leaves empty", () => {
    const rules = gateRules({ flags: {}, diveCi: 'rules:\n  lowestEfficiency:\n  highestWastedBytes: 1MB\n' });
    expect(rules).toEqual([
      { kind: 'min-efficiency', name: 'lowestEfficiency', source: 'dive default', limit: '0.9', threshold: 0.9 },
      { kind: 'max-wasted-bytes', name: 'highestWastedBytes', source: '.dive-ci', limit: '1MB', threshold: 1_000_000 },
      { kind: 'max-wasted-percent', name: 'highestUserWastedPercent', source: 'dive default', limit: '0.1', threshold: 0.1 },
    ]);
  });

  it.each([
    ['an empty file', ''],
    ['a file with only comments', '# nothing yet\n'],
    ['an empty rules key', 'rules:\n'],
    ['other keys only', 'image: nginx\n'],
    ['a key spelled otherwise, which viper does not match', 'rules:\n  highest-wasted-bytes: 1B\n'],
    ['rules that are not a mapping, where viper finds no key', 'rules: 0.9\n'],
  ])("applies dive's defaults to %s", (_, text) => {
    const rules = gateRules({ flags: {}, diveCi: text });
    expect(rules.map((rule) => [rule.name, rule.source, rule.limit])).toEqual([
      ['lowestEfficiency', 'dive default', '0.9'],
      ['highestWastedBytes', 'dive default', 'disabled'],
      ['highestUserWastedPercent', 'dive default', '0.1'],
    ]);
  });

  it("applies dive's defaults when nothing is configured anywhere, and says so", () => {
    const result = gate({}, figures({ efficiency: 0.85, wastedBytes: 5_000_000, userWastedPercent: 0.05 }));
    expect(result.lines).toEqual([
      "No CI threshold set in flags, .layerscope.yml or .dive-ci: dive's defaults apply.",
      'FAIL  lowestEfficiency          efficiency 0.8500 < limit 0.9  (dive default)',
      'SKIP  highestWastedBytes        wasted 5 MB, rule disabled  (dive default)',
      'PASS  highestUserWastedPercent  user wasted 0.0500 <= limit 0.1  (dive default)',
      'Result: FAIL (1 failed, 1 passed, 1 skipped)',
    ]);
    expect(result.exitCode).toBe(1);
  });

  it("writes numbers as Go's FormatFloat(x, 'f', -1, 64) does", () => {
    expect([2e7, 0.2, 1e21, 1.5e-7, -0.25, 123456.789].map(goFloatText)).toEqual(['20000000', '0.2', '1000000000000000000000', '0.00000015', '-0.25', '123456.789']);
  });

  it('matches keys in any case, as viper does', () => {
    const rules = gateRules({ flags: {}, diveCi: 'Rules:\n  LOWESTEFFICIENCY: 0.5\n  highestwastedbytes: 1KB\n' });
    expect(rules.map((rule) => [rule.name, rule.source, rule.limit])).toEqual([
      ['lowestEfficiency', '.dive-ci', '0.5'],
      ['highestWastedBytes', '.dive-ci', '1KB'],
      ['highestUserWastedPercent', 'dive default', '0.1'],
    ]);
  });

  it('reads a number as viper turns the YAML value back into text: 2e7 is 20,000,000, 9e-1 is 0.9', () => {
    const rules = gateRules({ flags: {}, diveCi: 'rules:\n  lowestEfficiency: 9e-1\n  highestWastedBytes: 2e7\n  highestUserWastedPercent: 0.250\n' });
    expect(rules.map((rule) => (rule.kind === 'fail-on' ? null : [rule.limit, rule.threshold]))).toEqual([['0.9', 0.9], ['20000000', 20_000_000], ['0.25', 0.25]]);
  });

  it.each(['Disabled', 'off', 'false', '""', "' disabled '", 'no'])('refuses %s, which released dive calls misconfigured (only `disabled` disables)', (value) => {
    const error = usageError({ diveCi: `rules:\n  lowestEfficiency: ${value}\n  highestWastedBytes: ${value}\n  highestUserWastedPercent: ${value}\n` });
    expect(error.message).toMatch(/^3 problems with the CI thresholds: \.dive-ci: rules\.lowestEfficiency .*; \.dive-ci: rules\.highestWastedBytes .*; \.dive-ci: rules\.highestUserWastedPercent /);
    expect(error.exitCode).toBe(2);
  });

  it('takes the text of a quoted or anchored value, and numbers as written', () => {
    const rules = gateRules({ flags: {}, diveCi: 'base: &b "0.5"\nrules:\n  lowestEfficiency: *b\n  highestWastedBytes: 20000000\n  highestUserWastedPercent: .25\n' });
    expect(rules.map((rule) => (rule.kind === 'fail-on' ? null : rule.threshold))).toEqual([0.5, 20_000_000, 0.25]);
  });

  it.each([
    ['a ratio that is not a number', 'lowestEfficiency: high', /rules\.lowestEfficiency "high" is not a number/, /ratios from 0 to 1/],
    ['a ratio above 1', 'lowestEfficiency: 1.1', /rules\.lowestEfficiency "1\.1" is outside the allowed range 0-1/, /0\.95 is 95%/],
    ['a ratio below 0', 'highestUserWastedPercent: -0.1', /rules\.highestUserWastedPercent "-0\.1" is outside/, /ratios/],
    ['a percentage written for a ratio', 'highestUserWastedPercent: 20%', /"20%" is not a number/, /ratios/],
    ['an unknown unit', 'highestWastedBytes: 20XB', /rules\.highestWastedBytes "20XB" is not a size/, /20MiB \(20,971,520\)/],
    ['a negative size', 'highestWastedBytes: -1MB', /"-1MB" is not a size/, /20MB/],
    ['a list where a value belongs', 'highestWastedBytes: [1, 2]', /rules\.highestWastedBytes takes a single value/, /20MB/],
  ])('refuses %s with a UsageError and a hint, as dive refuses to start', (_, line, message, hint) => {
    const error = usageError({ diveCi: `rules:\n  ${line}\n` });
    expect(error.message).toMatch(/^\.dive-ci: /);
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(hint);
    expect(error.exitCode).toBe(2);
  });

  it.each([
    ['broken YAML', 'rules: [\n', /\.dive-ci: not valid YAML/],
    ['a list at the top', '- lowestEfficiency: 0.9\n', /expected a mapping with a `rules:` key/],
  ])('refuses %s', (_, text, message) => {
    expect(usageError({ diveCi: text }).message).toMatch(message);
  });

  it('lists every bad value in one error, as dive joins them', () => {
    const error = usageError({ diveCi: 'rules:\n  lowestEfficiency: 2\n  highestWastedBytes: lots\n' });
    expect(error.message).toMatch(/^2 problems with the CI thresholds: \.dive-ci: rules\.lowestEfficiency .*; \.dive-ci: rules\.highestWastedBytes/);
    expect(error.hint).toMatch(/ratios.*; a size/);
  });
});

describe("layerscope's own rules", () => {
  const image = figures({
    efficiency: 0.9,
    wastedBytes: 30_000_000,
    userWastedPercent: 0.12,
    imageBytes: 250_000_000,
    removableBytes: 40_000_000,
    findings: [
      { category: 'package-cache', bytes: 30_000_000 },
      { category: 'package-cache', bytes: 1_500_000 },
      { category: 'docs', bytes: 2_000_000 },
    ],
  });

  it('fails each flag whose figure is past its limit', () => {
    const flags = { minEfficiency: '0.95', maxWastedBytes: '20MB', maxWastedPercent: '5', maxRemovableBytes: '10MB', maxSize: '200MB', failOn: ['package-cache'] };
    const result = gate({ flags }, image);
    expect(result.exitCode).toBe(1);
    expect(result.lines).toEqual([
      'FAIL  --min-efficiency       efficiency 0.9000 < limit 0.95  (flag)',
      'FAIL  --max-wasted-bytes     wasted 30 MB > limit 20MB  (flag)',
      'FAIL  --max-wasted-percent   user wasted 12.00% > limit 5%  (flag)',
      'FAIL  --max-removable-bytes  removable 40 MB > limit 10MB  (flag)',
      'FAIL  --max-size             image 250 MB > limit 200MB  (flag)',
      'FAIL  --fail-on              package-cache: 2 findings, 31.5 MB  (flag)',
      'Result: FAIL (6 failed, 0 passed, 0 skipped)',
    ]);
  });

  it('passes each flag whose figure is within its limit', () => {
    const flags = { minEfficiency: '0.9', maxWastedBytes: '30MB', maxWastedPercent: '12%', maxRemovableBytes: '1GB', maxSize: '250MB', failOn: ['toolchain'] };
    const result = gate({ flags }, image);
    expect(result.exitCode).toBe(0);
    expect(result.results.map((r) => r.detail)).toEqual([
      'efficiency 0.9000 >= limit 0.9',
      'wasted 30 MB <= limit 30MB',
      'user wasted 12.00% <= limit 12%',
      'removable 40 MB <= limit 1GB',
      'image 250 MB <= limit 250MB',
      'toolchain: no findings',
    ]);
  });

  it('skips a threshold written as disabled or off', () => {
    const result = gate({ flags: { maxSize: 'disabled', maxWastedPercent: 'OFF' } }, image);
    expect(result.statuses).toEqual(['--max-wasted-percent=SKIP', '--max-size=SKIP']);
    expect(result.exitCode).toBe(0);
  });

  it('reads --max-wasted-percent 5 and 5% alike, and passes a figure of exactly 5%', () => {
    const atFive = figures({ userWastedPercent: 0.05 });
    expect(gate({ flags: { maxWastedPercent: '5' } }, atFive).statuses).toEqual(['--max-wasted-percent=PASS']);
    expect(gate({ flags: { maxWastedPercent: '5%' } }, atFive).statuses).toEqual(['--max-wasted-percent=PASS']);
    expect(gate({ flags: { maxWastedPercent: '4.99' } }, atFive).statuses).toEqual(['--max-wasted-percent=FAIL']);
  });

  it('reads SI and IEC sizes apart: 1.5 GB is 1,500,000,000 bytes, 1.5 GiB is 1,610,612,736', () => {
    const big = figures({ imageBytes: 1_600_000_000 });
    expect(gate({ flags: { maxSize: '1.5GB' } }, big).statuses).toEqual(['--max-size=FAIL']);
    expect(gate({ flags: { maxSize: '1.5GiB' } }, big).statuses).toEqual(['--max-size=PASS']);
  });

  it('reads repeated --fail-on once per category, in the order of the rule table', () => {
    const rules = gateRules({ flags: { failOn: ['docs', 'package-cache', 'docs'] } });
    expect(rules.map((rule) => rule.limit)).toEqual(['package-cache', 'docs']);
  });

  it.each([
    [{ minEfficiency: '95' }, /--min-efficiency "95" is outside the allowed range 0-1/, /0\.95 is 95%/],
    [{ maxWastedPercent: '120' }, /--max-wasted-percent "120" is not a percentage from 0 to 100/, /5 or 5%/],
    [{ maxWastedBytes: '' }, /--max-wasted-bytes "" is not a size/, /20MB/],
    [{ maxSize: '1e9' }, /--max-size "1e9" is not a size/, /1\.5GB/],
    [{ failOn: ['caches'] }, /--fail-on "caches" is not a finding category/, /package-cache, language-cache, toolchain/],
  ])('refuses %j with a UsageError and a hint', (flags, message, hint) => {
    const error = usageError({ flags });
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(hint);
  });

  it('offers every category of the rule table to --fail-on', () => {
    expect(usageError({ flags: { failOn: ['x'] } }).hint).toBe(
      'the categories are deleted-later, overwritten, metadata-only, package-cache, language-cache, toolchain, build-context, temp, docs',
    );
  });
});

describe('.layerscope.yml', () => {
  it('holds the same thresholds under camelCase keys', () => {
    const text = 'maxWastedBytes: 20MB\nmaxWastedPercent: 5\nminEfficiency: 0.95\nmaxRemovableBytes: 1MiB\nmaxSize: 1GB\nfailOn: [package-cache, temp]\n';
    expect(gateRules({ flags: {}, layerscopeYml: text }).map((rule) => [rule.kind, rule.name, rule.source, rule.limit])).toEqual([
      ['min-efficiency', 'minEfficiency', '.layerscope.yml', '0.95'],
      ['max-wasted-bytes', 'maxWastedBytes', '.layerscope.yml', '20MB'],
      ['max-wasted-percent', 'maxWastedPercent', '.layerscope.yml', '5'],
      ['max-removable-bytes', 'maxRemovableBytes', '.layerscope.yml', '1MiB'],
      ['max-size', 'maxSize', '.layerscope.yml', '1GB'],
      ['fail-on', 'failOn', '.layerscope.yml', 'package-cache'],
      ['fail-on', 'failOn', '.layerscope.yml', 'temp'],
    ]);
  });

  it('takes failOn as one category too', () => {
    expect(gateRules({ flags: {}, layerscopeYml: 'failOn: docs\n' }).map((rule) => rule.limit)).toEqual(['docs']);
  });

  it.each([
    ['an unknown key', 'maxWasted: 20MB\n', /\.layerscope\.yml: unknown key "maxWasted"/, /the keys are .*maxWastedBytes/],
    ['a key without a value', 'maxSize:\n', /maxSize has no value/, /20MB/],
    ['a bad size', 'maxSize: big\n', /\.layerscope\.yml: maxSize "big" is not a size/, /20MB/],
    ['a bad category', 'failOn: [cache]\n', /failOn "cache" is not a finding category/, /package-cache/],
    ['broken YAML', 'maxSize: [1\n', /\.layerscope\.yml: not valid YAML/, /YAML/],
    ['a list at the top', '- maxSize: 1GB\n', /expected a mapping of thresholds/, /maxWastedBytes: 20MB/],
  ])('refuses %s with a UsageError and a hint', (_, text, message, hint) => {
    const error = usageError({ layerscopeYml: text });
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(hint);
  });
});

describe('precedence: flags over .layerscope.yml over .dive-ci', () => {
  const input = {
    flags: { maxWastedBytes: '30MB', failOn: ['docs'] },
    layerscopeYml: 'maxWastedBytes: 10MB\nminEfficiency: 0.8\nfailOn: [docs, temp]\n',
    diveCi: README_DIVE_CI,
  };

  it('takes each rule from the highest source that sets it, and says which', () => {
    expect(gateRules(input).map((rule) => `${rule.name} ${rule.limit} (${rule.source})`)).toEqual([
      'minEfficiency 0.8 (.layerscope.yml)',
      '--max-wasted-bytes 30MB (flag)',
      'highestUserWastedPercent 0.2 (.dive-ci)',
      'failOn temp (.layerscope.yml)',
      '--fail-on docs (flag)',
    ]);
  });

  it('lets a flag switch off a .dive-ci rule', () => {
    const result = gate({ flags: { maxWastedBytes: 'off' }, diveCi: README_DIVE_CI }, figures({ efficiency: 1, wastedBytes: 24_100_000 }));
    expect(result.statuses).toEqual(['lowestEfficiency=PASS', '--max-wasted-bytes=SKIP', 'highestUserWastedPercent=PASS']);
  });

  it('reports errors from every source, even those a higher one overrides', () => {
    expect(usageError({ flags: { minEfficiency: '0.9' }, diveCi: 'rules:\n  lowestEfficiency: 9\n' }).message).toMatch(/\.dive-ci: rules\.lowestEfficiency "9"/);
  });
});

describe('user wasted percent when every byte is in the base layer', () => {
  // dive divides by 0 there: +Inf when anything is wasted (fails), NaN when nothing is (passes).
  it('fails when bytes are wasted', () => {
    const result = gate({ diveCi: README_DIVE_CI }, figures({ wastedBytes: 10, userWastedPercent: null }));
    expect(result.results[2]?.status).toBe('FAIL');
    expect(result.results[2]?.detail).toBe('user wasted n/a (10 B wasted, no bytes above the base layer) > limit 0.2');
  });

  it('passes when nothing is wasted', () => {
    expect(gate({ diveCi: README_DIVE_CI }, figures({ wastedBytes: 0, userWastedPercent: null })).results[2]?.status).toBe('PASS');
  });
});

describe('the gate on a real analysis', () => {
  it('counts a file written twice as 1,010 wasted bytes: over 1kB (1,000), under 1KiB (1,024)', async () => {
    // Layer 0 writes /a with 1,000 bytes, layer 1 rewrites it with 10: dive counts both copies.
    const analysis = await analyseLayers([[file('a', 'x'.repeat(1000))], [file('a', 'y'.repeat(10))]]);
    expect(analysis.dive.wastedBytes).toBe(1010);
    const at = (limit: string) => gate({ diveCi: `rules:\n  highestWastedBytes: ${limit}\n  lowestEfficiency: disabled\n  highestUserWastedPercent: disabled\n` }, analysis);
    expect(at('1kB').results[1]?.status).toBe('FAIL');
    expect(at('1KiB').results[1]?.status).toBe('PASS');
    expect(at('1010').results[1]?.status).toBe('PASS');
  });
});

describe('--max-own-wasted-bytes: the bytes your own layers waste, the base image aside', () => {
  it('counts what your layers left unreachable or flagged, never what the base ships', async () => {
    // Layer 0, the base (a root file system ADD): 5,000 B of docs, a 3,000 B file. Layer 1 (RUN):
    // deletes that file (its 3,000 B stay the base's) and writes /tmp/t (700 B, flagged). Layer 2
    // (RUN): rewrites /app/x (first 400 B, then 100 B). Yours: 700 removable + 400 unreachable.
    const image = await parseSpec({
      layout: 'docker-save',
      images: [
        {
          layers: [
            [dir('usr'), dir('usr/share'), dir('usr/share/doc'), file('usr/share/doc/big', 5000), file('old', 3000)],
            [whiteout('old'), dir('tmp'), file('tmp/t', 700), dir('app'), file('app/x', 400)],
            [dir('app'), file('app/x', 100)],
          ],
          history: [{ createdBy: '/bin/sh -c #(nop) ADD file:0a1b in / ' }, { createdBy: '/bin/sh -c rm /old && make' }, { createdBy: '/bin/sh -c build' }],
        },
      ],
    });
    const analysis = analyseImage(image);
    expect(analysis.split.boundary).toEqual({ layers: 1, method: 'history', sure: 'guess' });
    expect(analysis.split.own).toMatchObject({ unreachableBytes: 400, removableBytes: 700, wastedBytes: 1100 });
    expect(analysis.split.base).toMatchObject({ bytes: 8000, unreachableBytes: 3000, removableBytes: 5000, wastedBytes: 8000 });
    const at = (limit: string) => gate({ flags: { maxOwnWastedBytes: limit } }, analysis);
    expect(at('1100').results[0]).toMatchObject({ status: 'PASS', detail: 'wasted in your layers 1.1 kB <= limit 1100' });
    expect(at('1kB').results[0]?.status).toBe('FAIL');
  });
});
