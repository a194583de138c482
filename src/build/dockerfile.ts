// A Dockerfile's stages and what each one takes from the others, resolved the way BuildKit
// resolves them: `layerscope build` uses it to know which stages to build and which of them the
// final stage copies from. dockerfile-ast does the lexing (comments, continuations, the escape
// directive, heredocs); names, ARG substitution and stage references follow Docker's rules here.

import { Copy, DockerfileParser, From, Run, type Arg, type Instruction } from 'dockerfile-ast';
import { UsageError } from '../errors.js';
import { byNumber } from '../model/order.js';
import { expandWord, type Variables } from './shell-word.js';

export type { Variables } from './shell-word.js';

/** Something a stage reads from: an earlier stage, or an external image. */
export interface StageSource {
  /** Index of the earlier stage, when the reference names one (by name, or by index for COPY). */
  readonly stage?: number;
  /** The external image, as written, when the reference is not a stage: `COPY --from=nginx:latest`. */
  readonly image?: string;
  /** 1-based line of the instruction. */
  readonly line: number;
}

export type CopySource = StageSource;

export interface Stage {
  readonly index: number;
  /** The name after AS, lowercased as Docker does; absent for an unnamed stage. */
  readonly name?: string;
  /** The FROM image or stage name, with global ARGs substituted; engine-supplied ones such as `$BUILDPLATFORM` stay as written. */
  readonly base: string;
  /** The --platform value, substituted the same way. */
  readonly platform?: string;
  /** When FROM names an earlier stage. */
  readonly baseStage?: number;
  /** `COPY --from=…`: what the stage copies files from. */
  readonly copiesFrom: readonly CopySource[];
  /** `RUN --mount=from=…`: what the stage mounts while it runs (nothing of it reaches the image). */
  readonly mountsFrom: readonly StageSource[];
  /** 1-based line of the FROM instruction. */
  readonly line: number;
}

export interface DockerfileStages {
  readonly stages: readonly Stage[];
  /** The stage to build: the last one, or the one --target names. */
  readonly target: number;
  /** The global ARGs (before the first FROM) with their values; `null` for those the engine supplies. */
  readonly globals: Variables;
}

export interface ParseOptions {
  /** --build-arg values; like Docker, they change FROM only through a global ARG that declares them. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** --target: a stage name (case-insensitive). */
  readonly target?: string;
  /** How messages name the file; `Dockerfile` by default. */
  readonly file?: string;
}

/** Arguments the engine fills in for every FROM; their values are not known before the build. */
const ENGINE_ARGS = new Set([
  'BUILDPLATFORM', 'BUILDOS', 'BUILDOSVERSION', 'BUILDARCH', 'BUILDVARIANT',
  'TARGETPLATFORM', 'TARGETOS', 'TARGETOSVERSION', 'TARGETARCH', 'TARGETVARIANT', 'TARGETSTAGE',
]);
const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

/** A stage before its COPY and RUN instructions are read. */
interface Draft extends Omit<Stage, 'copiesFrom' | 'mountsFrom'> {
  readonly body: Instruction[];
}

export function parseDockerfile(text: string, options: ParseOptions = {}): DockerfileStages {
  const file = options.file ?? 'Dockerfile';
  const fail = (line: number, problem: string, hint: string): never => {
    throw new UsageError(`${file} line ${line}: ${problem}`, hint);
  };
  const dockerfile = DockerfileParser.parse(text);
  const escape = dockerfile.getEscapeCharacter();
  const instructions = dockerfile.getInstructions();
  const firstFrom = firstFromIndex(instructions, file, fail);
  const expandWith = (variables: Variables, word: string, line: number, unquoted = false): string => {
    try {
      return expandWord(word, variables, unquoted ? undefined : escape);
    } catch (error) {
      return fail(line, (error as Error).message, 'give the argument a value with --build-arg NAME=VALUE or a default in its ARG');
    }
  };
  const globals = globalArgs(dockerfile.getInitialARGs(), options.buildArgs ?? {}, expandWith);
  const expand = (word: string, line: number): string => expandWith(globals, word, line);
  const { drafts, byName } = draftStages(instructions.slice(firstFrom), expand, fail);
  const stages = drafts.map((draft) => withSources(draft, drafts.length, byName, fail));
  return { stages, target: targetIndex(stages, options.target), globals };
}

type Fail = (line: number, problem: string, hint: string) => never;

/** Where the first FROM is; only ARG may come before it. */
function firstFromIndex(instructions: readonly Instruction[], file: string, fail: Fail): number {
  const firstFrom = instructions.findIndex((instruction) => instruction instanceof From);
  if (firstFrom < 0) {
    throw new UsageError(`${file} has no FROM instruction`, 'a Dockerfile starts its first stage with FROM IMAGE (or FROM scratch)');
  }
  for (const instruction of instructions.slice(0, firstFrom)) {
    if (instruction.getKeyword() !== 'ARG') {
      fail(lineOf(instruction), `${instruction.getKeyword()} comes before the first FROM`, 'only ARG may come before the first FROM');
    }
  }
  return firstFrom;
}

/**
 * First pass: every stage's FROM, with the instructions that follow it, so COPY --from can name any
 * stage (BuildKit looks names up in the whole file, then insists the stage comes earlier).
 */
function draftStages(
  instructions: readonly Instruction[],
  expand: (word: string, line: number) => string,
  fail: Fail,
): { drafts: Draft[]; byName: Map<string, number> } {
  const drafts: Draft[] = [];
  const byName = new Map<string, number>();
  for (const instruction of instructions) {
    if (!(instruction instanceof From)) {
      drafts.at(-1)?.body.push(instruction);
      continue;
    }
    const line = lineOf(instruction);
    const args = instruction.getArguments().map((argument) => argument.getValue());
    if (args.length === 0) fail(line, 'FROM names no image', 'write FROM IMAGE, FROM IMAGE AS NAME, or FROM scratch');
    if (args.length !== 1 && !(args.length === 3 && args[1]?.toLowerCase() === 'as')) {
      fail(line, `FROM ${args.join(' ')} is not FROM IMAGE or FROM IMAGE AS NAME`, 'name the stage after AS, or drop AS');
    }
    const name = args[2]?.toLowerCase();
    if (name !== undefined && !STAGE_NAME.test(name)) {
      fail(line, `"${args[2]}" cannot name a stage`, 'a stage name starts with a letter and holds only letters, digits, "-", "_" and "."');
    }
    const base = expand(args[0] ?? '', line);
    if (base === '') fail(line, `FROM ${args[0]} names no image once its arguments are substituted`, 'give the argument a value with --build-arg NAME=VALUE or a default in its ARG');
    const platformFlag = instruction.getPlatformFlag()?.getValue();
    const baseStage = byName.get(base);
    const index = drafts.length;
    drafts.push({
      index,
      ...(name === undefined ? {} : { name }),
      base,
      ...(platformFlag ? { platform: expand(platformFlag, line) } : {}),
      ...(baseStage === undefined ? {} : { baseStage }),
      line,
      body: [],
    });
    if (name !== undefined) byName.set(name, index);
  }
  return { drafts, byName };
}

/** Second pass: what a stage's COPY --from and RUN --mount from= read. */
function withSources({ body, ...stage }: Draft, stageCount: number, byName: ReadonlyMap<string, number>, fail: Fail): Stage {
  const copiesFrom: StageSource[] = [];
  const mountsFrom: StageSource[] = [];
  // COPY --from takes a stage name, a stage index or an image; RUN --mount from= a name or an image.
  const source = (reference: string, line: number, how: string, byIndex: boolean): StageSource => {
    if (reference.includes('$')) {
      fail(line, `${how}=${reference}: variables cannot be used here`, 'define a stage with FROM ${ARG} AS NAME and use its name');
    }
    const index = byIndex && /^\d+$/.test(reference) ? Number(reference) : byName.get(reference.toLowerCase());
    if (index === undefined) return { image: reference, line };
    if (index >= stageCount) fail(line, `${how}=${reference}: there is no stage ${index}`, `stages are numbered from 0 to ${stageCount - 1}`);
    if (index >= stage.index) {
      fail(line, `${how}=${reference} refers to a stage that is not defined before this one`, 'move that stage above the one that uses it');
    }
    return { stage: index, line };
  };
  for (const instruction of body) {
    const line = lineOf(instruction);
    if (instruction instanceof Copy) {
      // Not getFromFlag(): it answers only when --from is the sole flag. An empty --from copies
      // from the context, as in Docker.
      const from = instruction.getFlags().find((flag) => flag.getName() === 'from')?.getValue();
      if (from) copiesFrom.push(source(from, line, 'COPY --from', true));
    } else if (instruction instanceof Run) {
      for (const mount of instruction.getFlags().filter((flag) => flag.getName() === 'mount')) {
        const from = mount.getOption('from')?.getValue();
        if (from && mount.getOption('type')?.getValue() !== 'tmpfs') mountsFrom.push(source(from, line, 'RUN --mount from', false));
      }
    }
  }
  return { ...stage, copiesFrom, mountsFrom };
}

/** Stages the target needs, transitively (its FROM, COPY --from and RUN --mount=from stages), itself last, in build order. */
export function stagesFeeding(dockerfile: DockerfileStages, target: number = dockerfile.target): readonly number[] {
  const needed = new Set<number>();
  const visit = (index: number): void => {
    if (needed.has(index)) return;
    const stage = dockerfile.stages[index];
    if (!stage) throw new RangeError(`no stage ${index}`);
    needed.add(index);
    if (stage.baseStage !== undefined) visit(stage.baseStage);
    for (const source of [...stage.copiesFrom, ...stage.mountsFrom]) if (source.stage !== undefined) visit(source.stage);
  };
  visit(target);
  // Every reference points to an earlier stage, so file order is a build order.
  return [...needed].sort(byNumber);
}

function targetIndex(stages: readonly Stage[], target: string | undefined): number {
  if (target === undefined) return stages.length - 1;
  const found = stages.find((stage) => stage.name === target.toLowerCase());
  if (found) return found.index;
  const names = stages.flatMap((stage) => (stage.name ? [stage.name] : []));
  throw new UsageError(
    `the Dockerfile has no stage named "${target}"`,
    names.length > 0 ? `choose one of: ${names.join(', ')}` : 'no stage has a name: name one with FROM IMAGE AS NAME',
  );
}

const lineOf = (instruction: Instruction): number => instruction.getRange().start.line + 1;

/** ARGs before the first FROM, as BuildKit evaluates them: in order, a --build-arg replacing the default. */
function globalArgs(
  args: readonly Arg[],
  buildArgs: Readonly<Record<string, string>>,
  expand: (variables: Variables, word: string, line: number, unquoted: boolean) => string,
): Variables {
  const variables = new Map<string, string | null>();
  for (const name of ENGINE_ARGS) variables.set(name, Object.hasOwn(buildArgs, name) ? (buildArgs[name] ?? '') : null);
  for (const arg of args) {
    for (const property of arg.getProperties()) {
      const name = property.getName();
      const given = Object.hasOwn(buildArgs, name) ? buildArgs[name] : undefined;
      const fallback = property.getValue();
      if (given !== undefined) variables.set(name, given);
      else if (fallback !== null) variables.set(name, expand(variables, fallback, lineOf(arg), true));
    }
  }
  return variables;
}
