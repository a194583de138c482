// The CI gate's rules, gathered from three places — flags, .layerscope.yml, dive's .dive-ci — into one
// list, each rule saying where it came from. Pure: the caller reads the files and passes their text.
//
// .dive-ci is read as released dive reads it (github.com/wagoodman/dive v0.12.0 and v0.13.1), so a
// dive user's gate gives the same verdict here:
// - cmd/ci.go and runtime/ci/rule.go `loadCiRules` (v0.12.0): the file goes through viper, and each
//   rule is `GetString("rules.<key>")`. So keys match in any case (`LowestEfficiency` is
//   lowestEfficiency), and the value is the decoded YAML value turned back into text by spf13/cast:
//   `2e7` is the float 20000000 and reads "20000000", `0.20` reads "0.2", `off` and `yes` never read
//   as "disabled". A missing or null key keeps the default of dive's flag (lowestEfficiency 0.9,
//   highestWastedBytes disabled, highestUserWastedPercent 0.1); `rules:` that is not a mapping holds
//   no key. dive also applies those defaults when there is no .dive-ci at all; layerscope does so
//   when no rule is configured anywhere.
// - runtime/ci/evaluator.go `isRuleEnabled`: only the exact text `disabled` skips a rule.
// - rule.go validators: lowestEfficiency and highestUserWastedPercent are strconv.ParseFloat, then a
//   ratio 0-1 inclusive; highestWastedBytes is humanize.ParseBytes (see ci-values.ts). Any other
//   value makes dive report the rule "misconfigured" and not run: here a UsageError (exit 2) naming
//   each such key, before any image is read. A YAML syntax error or a top level that is not a
//   mapping is refused too (viper cannot read the file).
// The comparisons (ci.ts) are dive's: strictly past the limit fails.

import { isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { CATEGORIES, type Category } from '../analysis/rules.js';
import { UsageError } from '../errors.js';
import { parseByteSize, parseGoFloat, parsePercent } from './ci-values.js';
import { anyCase, firstLine, orNull, scalarText, viperString, yamlTop } from './yaml-values.js';

export type GateSource = 'flag' | '.layerscope.yml' | '.dive-ci' | 'dive default';

export type ThresholdKind = 'min-efficiency' | 'max-wasted-bytes' | 'max-wasted-percent' | 'max-removable-bytes' | 'max-own-wasted-bytes' | 'max-size';

export interface ThresholdRule {
  readonly kind: ThresholdKind;
  /** The rule as the user named it: `--max-size`, `maxSize`, `highestWastedBytes`. */
  readonly name: string;
  readonly source: GateSource;
  /** The limit as written: `20MB`, `0.95`, `5%`, `disabled`. */
  readonly limit: string;
  /** Bytes, or a ratio 0-1 for efficiency and user wasted percent; null when the rule is disabled. */
  readonly threshold: number | null;
}

export interface CategoryRule {
  readonly kind: 'fail-on';
  readonly name: string;
  readonly source: GateSource;
  readonly limit: string;
  readonly category: Category;
}

export type GateRule = ThresholdRule | CategoryRule;

/** Flag values as given on the command line; undefined when the flag is absent. */
export interface GateFlags {
  readonly maxWastedBytes?: string | undefined;
  readonly maxWastedPercent?: string | undefined;
  readonly minEfficiency?: string | undefined;
  readonly maxRemovableBytes?: string | undefined;
  readonly maxOwnWastedBytes?: string | undefined;
  readonly maxSize?: string | undefined;
  readonly failOn?: readonly string[] | undefined;
}

export interface GateInput {
  readonly flags: GateFlags;
  /** The text of .layerscope.yml, or undefined when there is none. */
  readonly layerscopeYml?: string | undefined;
  /** The text of .dive-ci, or undefined when there is none. */
  readonly diveCi?: string | undefined;
}

type Syntax = 'size' | 'ratio' | 'percent';

/** In output order: dive's three first, in dive's order. */
const THRESHOLDS: readonly {
  readonly kind: ThresholdKind;
  readonly key: keyof Omit<GateFlags, 'failOn'>;
  readonly flag: string;
  readonly syntax: Syntax;
  readonly dive?: { readonly key: string; readonly syntax: 'size' | 'ratio'; readonly default: string };
}[] = [
  { kind: 'min-efficiency', key: 'minEfficiency', flag: '--min-efficiency', syntax: 'ratio', dive: { key: 'lowestEfficiency', syntax: 'ratio', default: '0.9' } },
  { kind: 'max-wasted-bytes', key: 'maxWastedBytes', flag: '--max-wasted-bytes', syntax: 'size', dive: { key: 'highestWastedBytes', syntax: 'size', default: 'disabled' } },
  { kind: 'max-wasted-percent', key: 'maxWastedPercent', flag: '--max-wasted-percent', syntax: 'percent', dive: { key: 'highestUserWastedPercent', syntax: 'ratio', default: '0.1' } },
  { kind: 'max-removable-bytes', key: 'maxRemovableBytes', flag: '--max-removable-bytes', syntax: 'size' },
  { kind: 'max-own-wasted-bytes', key: 'maxOwnWastedBytes', flag: '--max-own-wasted-bytes', syntax: 'size' },
  { kind: 'max-size', key: 'maxSize', flag: '--max-size', syntax: 'size' },
];

/** Every category the rule table can report, in table order. */
export const GATE_CATEGORIES: readonly Category[] = CATEGORIES;

const HINTS: Readonly<Record<Syntax | 'category' | 'yaml', string>> = {
  size: 'a size is bytes with an optional unit: 20MB (20,000,000), 20MiB (20,971,520), 1.5GB, 512000; or `disabled`',
  ratio: 'efficiency and dive\'s highestUserWastedPercent are ratios from 0 to 1 (0.95 is 95%); or `disabled`',
  percent: '--max-wasted-percent / maxWastedPercent is a percentage from 0 to 100: 5 or 5%; or `disabled`',
  category: `the categories are ${GATE_CATEGORIES.join(', ')}`,
  yaml: 'fix the YAML: the thresholds are keys of one mapping, e.g. `maxWastedBytes: 20MB`',
};

interface Problem {
  readonly message: string;
  readonly hint: string;
}

interface Gathered {
  readonly thresholds: ThresholdRule[];
  readonly categories: CategoryRule[];
  readonly problems: Problem[];
}

/** The rules in force, flags over .layerscope.yml over .dive-ci; throws a UsageError listing every bad value. */
export function gateRules(input: GateInput): readonly GateRule[] {
  const sources = [
    input.diveCi === undefined ? undefined : fromDiveCi(input.diveCi),
    input.layerscopeYml === undefined ? undefined : fromLayerscopeYml(input.layerscopeYml),
    fromFlags(input.flags),
  ].filter((source) => source !== undefined);
  const problems = sources.flatMap((source) => source.problems);
  if (problems.length > 0) {
    const message = problems.length === 1 ? (problems[0] as Problem).message : `${problems.length} problems with the CI thresholds: ${problems.map((p) => p.message).join('; ')}`;
    throw new UsageError(message, [...new Set(problems.map((p) => p.hint))].join('; '));
  }
  const thresholds = new Map<ThresholdKind, ThresholdRule>();
  const categories = new Map<Category, CategoryRule>();
  for (const source of sources) {
    for (const rule of source.thresholds) thresholds.set(rule.kind, rule);
    for (const rule of source.categories) categories.set(rule.category, rule);
  }
  // Nothing set anywhere: `dive --ci` would still check its defaults, so a switch keeps that gate.
  if (thresholds.size === 0 && categories.size === 0) return fromDiveCi('').thresholds;
  return [
    ...THRESHOLDS.flatMap(({ kind }) => thresholds.get(kind) ?? []),
    ...GATE_CATEGORIES.flatMap((category) => categories.get(category) ?? []),
  ];
}

function fromFlags(flags: GateFlags): Gathered {
  const gathered: Gathered = { thresholds: [], categories: [], problems: [] };
  for (const spec of THRESHOLDS) {
    const text = flags[spec.key];
    if (text !== undefined) addThreshold(gathered, { kind: spec.kind, name: spec.flag, source: 'flag', limit: text.trim() }, spec.syntax, isOff(text));
  }
  for (const text of flags.failOn ?? []) addCategory(gathered, '--fail-on', 'flag', text);
  return gathered;
}

function fromLayerscopeYml(text: string): Gathered {
  const gathered: Gathered = { thresholds: [], categories: [], problems: [] };
  const problem = (message: string, hint: string): void => void gathered.problems.push({ message: `.layerscope.yml: ${message}`, hint });
  const doc = parseDocument(text);
  const top = yamlTop(doc);
  if (doc.errors.length > 0) {
    problem(`not valid YAML: ${firstLine(doc.errors[0]?.message)}`, HINTS.yaml);
    return gathered;
  }
  if (top === undefined) return gathered;
  if (!isMap(top)) {
    problem('expected a mapping of thresholds at the top level', HINTS.yaml);
    return gathered;
  }
  const known = [...THRESHOLDS.map((spec) => spec.key), 'failOn'];
  for (const pair of top.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const value = scalarText(doc, pair.value);
    const spec = THRESHOLDS.find((candidate) => candidate.key === key);
    if (key === 'failOn') {
      const node = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
      const items = isSeq(node) ? node.items.map((item) => scalarText(doc, item)) : [value];
      for (const item of items) {
        if (typeof item === 'string') addCategory(gathered, key, '.layerscope.yml', item);
        else problem(`failOn takes a category or a list of them`, HINTS.category);
      }
    } else if (!spec) {
      problem(`unknown key ${JSON.stringify(key)}`, `the keys are ${known.join(', ')}`);
    } else if (typeof value === 'string') {
      addThreshold(gathered, { kind: spec.kind, name: key, source: '.layerscope.yml', limit: value.trim() }, spec.syntax, isOff(value));
    } else {
      problem(`${key} ${value === null ? 'has no value' : 'takes a single value'}`, HINTS[spec.syntax]);
    }
  }
  return gathered;
}

function fromDiveCi(text: string): Gathered {
  const gathered: Gathered = { thresholds: [], categories: [], problems: [] };
  const problem = (message: string, hint: string): void => void gathered.problems.push({ message: `.dive-ci: ${message}`, hint });
  const doc = parseDocument(text);
  const top = yamlTop(doc);
  if (doc.errors.length > 0) {
    problem(`not valid YAML: ${firstLine(doc.errors[0]?.message)}`, HINTS.yaml);
    return gathered;
  }
  if (top !== undefined && !isMap(top)) {
    problem('expected a mapping with a `rules:` key at the top level', HINTS.yaml);
    return gathered;
  }
  // viper: keys in any case; `rules` that is not a mapping holds no rules (dive's defaults apply).
  const rules = top === undefined ? undefined : orNull(doc, anyCase(top, 'rules'));
  for (const spec of THRESHOLDS) {
    if (!spec.dive) continue;
    const value = rules === undefined || !isMap(rules) ? null : viperString(doc, anyCase(rules, spec.dive.key));
    if (value === undefined) {
      problem(`rules.${spec.dive.key} takes a single value`, HINTS[spec.dive.syntax]);
      continue;
    }
    const limit = value ?? spec.dive.default;
    const rule = { kind: spec.kind, name: spec.dive.key, source: value === null ? 'dive default' : '.dive-ci', limit } as const;
    // Released dive skips a rule only for the exact text `disabled`; anything else must parse.
    addThreshold(gathered, rule, spec.dive.syntax, limit === 'disabled', `.dive-ci: rules.${spec.dive.key}`);
  }
  return gathered;
}

/** layerscope's own values (flags, .layerscope.yml) switch a rule off with disabled, off or false; an empty value (an unset variable in a CI script) is an error. */
function isOff(text: string): boolean {
  return ['disabled', 'off', 'false'].includes(text.trim().toLowerCase());
}

function addThreshold(
  gathered: Gathered,
  rule: Omit<ThresholdRule, 'threshold'>,
  syntax: Syntax,
  off: boolean,
  where = rule.source === 'flag' ? rule.name : `${rule.source}: ${rule.name}`,
): void {
  if (off) {
    gathered.thresholds.push({ ...rule, threshold: null });
    return;
  }
  const threshold = syntax === 'size' ? parseByteSize(rule.limit) : syntax === 'percent' ? parsePercent(rule.limit) : parseGoFloat(rule.limit);
  const quoted = `${where} ${JSON.stringify(rule.limit)}`;
  if (threshold === undefined) {
    const what = syntax === 'size' ? 'a size' : syntax === 'percent' ? 'a percentage from 0 to 100' : 'a number';
    gathered.problems.push({ message: `${quoted} is not ${what}`, hint: HINTS[syntax] });
  } else if (syntax === 'ratio' && (threshold < 0 || threshold > 1)) {
    gathered.problems.push({ message: `${quoted} is outside the allowed range 0-1`, hint: HINTS.ratio });
  } else {
    gathered.thresholds.push({ ...rule, threshold });
  }
}

function addCategory(gathered: Gathered, name: string, source: GateSource, text: string): void {
  const category = GATE_CATEGORIES.find((candidate) => candidate === text.trim().toLowerCase());
  const where = source === 'flag' ? name : `${source}: ${name}`;
  if (category) gathered.categories.push({ kind: 'fail-on', name, source, limit: category, category });
  else gathered.problems.push({ message: `${where} ${JSON.stringify(text)} is not a finding category`, hint: HINTS.category });
}
