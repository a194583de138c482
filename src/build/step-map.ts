// An image's history steps placed on a Dockerfile's lines: which instruction of which stage made
// each step (and so each layer), which steps the base image made, and which could not be placed.
// Both builders' history forms are read (see stepForm); the steps are lined up with the
// instructions in order, so an edited Dockerfile places what still fits and names the rest.

import { stepForm, type StepForm } from '../model/history.js';
import type { DockerfileLocation, HistoryStep } from '../model/types.js';
import { collapse, expectedSteps, type ExpectedStep, type StageSteps } from './dockerfile-steps.js';
import type { ParseOptions } from './dockerfile.js';

export type { CopyOrigin, DockerfileLocation } from '../model/types.js';

/** A step placed on an instruction (a base image's step on its FROM). */
export type PlacedStep = Omit<DockerfileLocation, 'kind'>;

/** A placed step (an instruction's, or the base image's on its FROM), or one no instruction fits. */
export type StepPlacement = DockerfileLocation | { readonly kind: 'unplaced' };

export interface StepMap {
  readonly file: string;
  /** The stage the image was matched with, and its name. */
  readonly stage: number;
  readonly stageName?: string;
  /** One per history step, in history order. */
  readonly steps: readonly StepPlacement[];
  /** History indexes of steps after the base that no instruction fits. */
  readonly unplaced: readonly number[];
  /** Instructions of the stage (and the stages it is built FROM) no step fits: the Dockerfile changed since the build, or the builder wrote something unknown. */
  readonly missing: readonly PlacedStep[];
}

export interface StepMapOptions extends ParseOptions {
  readonly file: string;
}

/**
 * Places `history` on the Dockerfile `text`. With --target (options.target) that stage is used;
 * otherwise the stage whose instructions fit the most steps (the last stage on a tie), so a
 * builder stage's image finds its own stage.
 */
export function mapSteps(text: string, history: readonly HistoryStep[], options: StepMapOptions): StepMap {
  const forms = history.map((step) => stepForm(step.createdBy));
  const first = expectedSteps(text, undefined, options);
  const candidates = options.target === undefined ? first.dockerfile.stages.map((stage) => stage.index) : [first.dockerfile.target];
  let best: { stage: number; expected: StageSteps; pairs: readonly Pair[] } | undefined;
  for (const stage of candidates.reverse()) {
    const expected = stage === first.dockerfile.target ? first : expectedSteps(text, stage, options);
    const pairs = align(expected.steps, forms);
    if (best === undefined || pairs.length > best.pairs.length) best = { stage, expected, pairs };
  }
  if (!best) throw new Error('a parsed Dockerfile has a stage');
  return placements(best.stage, best.expected, best.pairs, history.length, options.file);
}

/** A Dockerfile already read, as `layerscope build` and --dockerfile give it. */
export interface ReadDockerfile {
  readonly path: string;
  readonly text: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
}

/** Places an image's history on the Dockerfile's stage `target` (undefined: the best-fitting stage), for reports and the explorer alike. */
export function placeOn(dockerfile: ReadDockerfile, target: string | undefined): (image: { readonly history: readonly HistoryStep[] }) => StepMap {
  const options = { file: dockerfile.path, ...(dockerfile.buildArgs ? { buildArgs: dockerfile.buildArgs } : {}) };
  return (image) => mapSteps(dockerfile.text, image.history, { ...options, ...(target ? { target } : {}) });
}

/** An instruction index and the history index it was matched with. */
type Pair = readonly [instruction: number, step: number];

function placements(stage: number, expected: StageSteps, pairs: readonly Pair[], stepCount: number, file: string): StepMap {
  const instructions = expected.steps;
  const stages = expected.dockerfile.stages;
  const stageName = stages[stage]?.name;
  // The first stage of the chain names the base image.
  const root = stages[expected.chain[0] ?? stage];
  const from: PlacedStep = {
    file,
    line: root?.line ?? 1,
    endLine: root?.line ?? 1,
    stage: root?.index ?? stage,
    ...(root?.name === undefined ? {} : { stageName: root.name }),
    keyword: 'FROM',
  };
  const placed = (step: ExpectedStep): PlacedStep => ({
    file,
    line: step.line,
    endLine: step.endLine,
    stage: step.stage,
    ...(step.stageName === undefined ? {} : { stageName: step.stageName }),
    keyword: step.keyword,
    ...(step.origin ? { origin: step.origin } : {}),
  });
  const byStep = new Map(pairs.map(([instruction, step]) => [step, instruction]));
  // The base image made everything before the first step an instruction made; with nothing
  // placed, nothing can be said about where the base ends.
  const firstOwn = pairs.length > 0 ? Math.min(...pairs.map(([, step]) => step)) : 0;
  const steps: StepPlacement[] = [];
  const unplaced: number[] = [];
  for (let at = 0; at < stepCount; at++) {
    const instruction = byStep.get(at);
    const step = instruction === undefined ? undefined : instructions[instruction];
    if (step) steps.push({ kind: 'instruction', ...placed(step) });
    else if (at < firstOwn) steps.push({ kind: 'base', ...from });
    else {
      steps.push({ kind: 'unplaced' });
      unplaced.push(at);
    }
  }
  const matched = new Set(pairs.map(([instruction]) => instruction));
  const missing = instructions.filter((_, at) => !matched.has(at)).map(placed);
  return { file, stage, ...(stageName === undefined ? {} : { stageName }), steps, unplaced, missing };
}

/**
 * The longest in-order matching of instructions to steps (a longest common subsequence); among
 * equally long ones, the one using the latest steps, so a base image's step that happens to
 * look like an instruction is not taken for it.
 */
function align(instructions: readonly ExpectedStep[], steps: readonly StepForm[]): Pair[] {
  const rows = instructions.length + 1;
  const columns = steps.length + 1;
  // best[i * columns + j]: matches possible among instructions i… and steps j….
  const best = new Uint32Array(rows * columns);
  for (let i = instructions.length - 1; i >= 0; i--) {
    for (let j = steps.length - 1; j >= 0; j--) {
      const skip = Math.max(best[(i + 1) * columns + j] ?? 0, best[i * columns + j + 1] ?? 0);
      const take = fits(instructions[i], steps[j]) ? 1 + (best[(i + 1) * columns + j + 1] ?? 0) : 0;
      best[i * columns + j] = Math.max(skip, take);
    }
  }
  const pairs: Pair[] = [];
  let i = 0;
  let j = 0;
  while (i < instructions.length && j < steps.length) {
    const here = best[i * columns + j] ?? 0;
    if (here === 0) break;
    if ((best[i * columns + j + 1] ?? 0) === here) j++;
    else if ((best[(i + 1) * columns + j] ?? 0) === here) i++;
    else {
      pairs.push([i, j]);
      i++;
      j++;
    }
  }
  return pairs;
}

/** Whether a history step could have been made by an instruction. */
function fits(instruction: ExpectedStep | undefined, step: StepForm | undefined): boolean {
  if (!instruction || !step) return false;
  const { expect } = instruction;
  // A RUN may be written in a form stepForm cannot name (classic exec form: `|1 A=b sh -c …`).
  if (step.keyword !== instruction.keyword && !(expect.kind === 'run' && step.keyword === undefined)) return false;
  switch (expect.kind) {
    case 'run': {
      const text = collapse(step.text);
      if (expect.heredoc) return text.includes(expect.command);
      return text === expect.command || (text.startsWith('|') && text.endsWith(` ${expect.command}`));
    }
    case 'copy':
      return copyFits(step.text, expect.sources, expect.dest);
    case 'workdir':
      return expect.relative ? step.text === expect.path || step.text.endsWith(`/${expect.path}`) : step.text === expect.path;
    case 'names':
      return expect.names.every((name) => new RegExp(`(^|\\s)${escapeRegExp(name)}(=|\\s|$)`).test(step.text));
    case 'value':
      return step.text.trim() === expect.value;
    case 'keyword':
      return true;
  }
}

/**
 * Classic: `file:<hash> in /dest` (also `dir:`, `multi:`; `--chown=…` may stick to it), so only the
 * destination can be compared. BuildKit: `[--chown=…] src… dest`, paths substituted.
 */
function copyFits(text: string, sources: readonly string[], dest: string): boolean {
  const classic = /(?:file|dir|multi):[0-9a-f]+ in (.*)$/s.exec(text);
  if (classic) return sameDestination((classic[1] ?? '').trim(), dest);
  const words = collapse(text).split(' ');
  while (words[0]?.startsWith('--')) words.shift();
  return words.length === sources.length + 1 && sources.every((source, at) => words[at] === source) && sameDestination(words.at(-1) ?? '', dest);
}

const sameDestination = (recorded: string, written: string): boolean =>
  recorded === written || (recorded.replace(/\/+$/, '') || '/') === (written.replace(/\/+$/, '') || '/');

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
