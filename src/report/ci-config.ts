// The CI gate's rules, gathered from three places — flags, .layerscope.yml, dive's .dive-ci — into one
// list, each rule saying where it came from. Pure: the caller reads the files and passes their text.
//
// .dive-ci is read as dive v0.13 reads it (github.com/wagoodman/dive), so a dive user's gate gives
// the same verdict here:
// - cmd/dive/cli/internal/options/ci.go (commit 788fcd3), `PostLoad` ll. 42-81 and `legacyRuleFile`
//   ll. 83-87: the file is YAML; only the `rules:` mapping is read, with the keys `lowestEfficiency`,
//   `highestWastedBytes`, `highestUserWastedPercent` (exact case; other keys are ignored). Each value
//   is the scalar's text (yaml.v3 decoding into a string field: `0.20` stays "0.20"); an absent or
//   null key, or an absent `rules:`, keeps dive's default. A YAML syntax error, or a list or mapping
//   where a value belongs, is an error.
// - options/ci_rules.go (commit d81682d), `DefaultCIRules` ll. 19-25: lowestEfficiency 0.9,
//   highestWastedBytes disabled, highestUserWastedPercent 0.1. dive also applies them in --ci mode
//   when there is no .dive-ci at all; layerscope does so when no rule is configured anywhere.
// - cmd/dive/cli/internal/command/ci/rules.go (commit f14b994): `isRuleDisabled` ll. 193-196 — a
//   value that, trimmed and lower-cased, is "", "disabled", "off" or "false" skips the rule;
//   `NewLowestEfficiencyRule` ll. 94-117 and `NewHighestUserWastedPercentRule` ll. 159-182 —
//   strconv.ParseFloat on the untrimmed text, then a ratio 0-1 inclusive; `NewHighestWastedBytesRule`
//   ll. 129-147 — humanize.ParseBytes (see ci-values.ts). `Rules` ll. 18-42 joins every rule's error
//   and the configuration fails before any image is read: here, one UsageError lists them all.

import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { CATEGORIES, type Category } from '../analysis/rules.js';
import { UsageError } from '../errors.js';
import { parseByteSize, parseGoFloat, parsePercent } from './ci-values.js';

export type GateSource = 'flag' | '.layerscope.yml' | '.dive-ci' | 'dive default';

export type ThresholdKind = 'min-efficiency' | 'max-wasted-bytes' | 'max-wasted-percent' | 'max-removable-bytes' | 'max-size';

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
  const rules = top === undefined ? undefined : orNull(doc, top.get('rules', true));
  if (rules !== undefined && !isMap(rules)) {
    problem('`rules:` must be a mapping', HINTS.yaml);
    return gathered;
  }
  for (const spec of THRESHOLDS) {
    if (!spec.dive) continue;
    const value = rules === undefined ? null : scalarText(doc, rules.get(spec.dive.key, true));
    if (value === undefined) {
      problem(`rules.${spec.dive.key} takes a single value`, HINTS[spec.dive.syntax]);
      continue;
    }
    const limit = value ?? spec.dive.default;
    const rule = { kind: spec.kind, name: spec.dive.key, source: value === null ? 'dive default' : '.dive-ci', limit } as const;
    addThreshold(gathered, rule, spec.dive.syntax, isDiveOff(limit), `.dive-ci: rules.${spec.dive.key}`);
  }
  return gathered;
}

/** The document's top node; undefined when empty or null. */
function yamlTop(doc: Document): unknown {
  return orNull(doc, doc.contents);
}

/** The node an alias points at; undefined for a missing node or a YAML null. */
function orNull(doc: Document, node: unknown): unknown {
  const resolved = isAlias(node) ? node.resolve(doc) : node;
  return resolved === null || resolved === undefined || (isScalar(resolved) && resolved.value === null) ? undefined : resolved;
}

/** A scalar's text as written (quotes removed); null for a YAML null or a missing node; undefined for a list or mapping. */
function scalarText(doc: Document, node: unknown): string | null | undefined {
  const resolved = isAlias(node) ? node.resolve(doc) : node;
  if (resolved === undefined || resolved === null) return null;
  if (!isScalar(resolved)) return undefined;
  if (resolved.value === null) return null;
  return resolved.source ?? String(resolved.value);
}

/** dive's `isRuleDisabled`: "" counts as disabled too. */
function isDiveOff(text: string): boolean {
  return ['', 'disabled', 'off', 'false'].includes(text.trim().toLowerCase());
}

/** layerscope's own values: as dive's, except that an empty value (an unset variable in a CI script) is an error. */
function isOff(text: string): boolean {
  return text.trim() !== '' && isDiveOff(text);
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

function firstLine(message: string | undefined): string {
  return (message ?? '').split('\n')[0] ?? '';
}
