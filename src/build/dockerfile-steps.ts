// The history steps a Dockerfile's stage should leave in its image, one per instruction after
// FROM, with what each step's `created_by` must say for it: the values both builders substitute
// (ARG and ENV in COPY/ADD paths, WORKDIR, USER), the stage's SHELL around a RUN, WORKDIR
// resolved against the one before. step-map.ts lines them up with an image's history.

import { DockerfileParser, From, type Instruction } from 'dockerfile-ast';
import { posix } from 'node:path';
import type { CopyOrigin } from '../model/types.js';
import { parseDockerfile, type DockerfileStages, type ParseOptions } from './dockerfile.js';
import { expandWord, type Variables } from './shell-word.js';


/** One instruction after FROM, and the history step it should leave. */
export interface ExpectedStep {
  /** The instruction's keyword, upper case: `RUN`, `COPY`… */
  readonly keyword: string;
  /** 1-based first and last line of the instruction (continuations and heredocs included). */
  readonly line: number;
  readonly endLine: number;
  readonly stage: number;
  readonly stageName?: string;
  /** COPY and ADD: from the context, an earlier stage or an image. */
  readonly origin?: CopyOrigin;
  /** What the step's text must be, by kind (see matches()). */
  readonly expect: Expectation;
}

type Expectation =
  /** RUN: the command as the builder records it (shell and command, or the exec form's words), whitespace collapsed. */
  | { readonly kind: 'run'; readonly command: string; readonly heredoc: boolean }
  /** COPY/ADD: the sources and destination after substitution. */
  | { readonly kind: 'copy'; readonly sources: readonly string[]; readonly dest: string }
  /** WORKDIR: the absolute path, or only its relative tail when the base image's directory is unknown. */
  | { readonly kind: 'workdir'; readonly path: string; readonly relative: boolean }
  /** ENV, LABEL, ARG: the names they set. */
  | { readonly kind: 'names'; readonly names: readonly string[] }
  /** USER and the like: the value after substitution. */
  | { readonly kind: 'value'; readonly value: string }
  /** Everything else is told by its keyword alone. */
  | { readonly kind: 'keyword' };

export interface StageSteps {
  readonly dockerfile: DockerfileStages;
  /** The stages whose instructions the target stage's image carries, base stage first. */
  readonly chain: readonly number[];
  readonly steps: readonly ExpectedStep[];
}

/** What a stage hands to a stage built FROM it. */
interface Scope {
  readonly env: Map<string, string | null>;
  shell: readonly string[];
  workdir?: string;
}

const DEFAULT_SHELL = ['/bin/sh', '-c'] as const;

/** The expected steps of `target`'s image, its FROM-stage ancestors' included. */
export function expectedSteps(text: string, target: number | undefined, options: ParseOptions): StageSteps {
  const dockerfile = parseDockerfile(text, options);
  const parsed = DockerfileParser.parse(text);
  const escape = parsed.getEscapeCharacter();
  const bodies: Instruction[][] = [];
  for (const instruction of parsed.getInstructions()) {
    if (instruction instanceof From) bodies.push([]);
    else bodies.at(-1)?.push(instruction);
  }
  const chain: number[] = [];
  for (let at: number | undefined = target ?? dockerfile.target; at !== undefined; at = dockerfile.stages[at]?.baseStage) chain.unshift(at);
  const scopes = new Map<number, Scope>();
  const steps: ExpectedStep[] = [];
  for (const index of chain) {
    const stage = dockerfile.stages[index];
    if (!stage) continue;
    const inherited = stage.baseStage === undefined ? undefined : scopes.get(stage.baseStage);
    const scope: Scope = {
      env: new Map(inherited?.env ?? []),
      shell: inherited?.shell ?? DEFAULT_SHELL,
      ...(inherited?.workdir === undefined ? {} : { workdir: inherited.workdir }),
    };
    const args = new Map<string, string | null>();
    const variables = (): Variables => new Map([...args, ...scope.env]);
    const expand = (word: string): string => {
      try {
        return expandWord(word, variables(), escape);
      } catch {
        return word;
      }
    };
    for (const instruction of bodies[index] ?? []) {
      const keyword = instruction.getKeyword().toUpperCase();
      if (keyword === 'ARG') declareArgs(instruction, args, dockerfile.globals, options.buildArgs ?? {}, expand);
      const expect = expectation(keyword, instruction, scope, expand, escape);
      if (keyword === 'ENV') for (const [name, value] of properties(instruction)) scope.env.set(name, value === null ? '' : expand(value));
      if (keyword === 'SHELL') scope.shell = jsonWords(instruction) ?? scope.shell;
      const range = instruction.getRange();
      const origin = keyword === 'COPY' || keyword === 'ADD' ? copyOrigin(dockerfile, index, range.start.line + 1) : undefined;
      steps.push({
        keyword,
        line: range.start.line + 1,
        endLine: range.end.line + 1,
        stage: index,
        ...(stage.name === undefined ? {} : { stageName: stage.name }),
        ...(origin ? { origin } : {}),
        expect,
      });
    }
    scopes.set(index, scope);
  }
  return { dockerfile, chain, steps };
}

function expectation(keyword: string, instruction: Instruction, scope: Scope, expand: (word: string) => string, escape: string): Expectation {
  switch (keyword) {
    case 'RUN': {
      const exec = jsonWords(instruction);
      const heredoc = /<<-?["']?[A-Za-z_]/.test(firstLine(instruction));
      const command = exec ? exec.join(' ') : [...scope.shell, shellCommand(instruction, escape)].join(' ');
      return { kind: 'run', command: collapse(heredoc ? firstLine(instruction) : command), heredoc };
    }
    case 'COPY':
    case 'ADD': {
      const words = (jsonWords(instruction) ?? firstLine(instruction).split(/\s+/).filter(Boolean)).map(expand);
      return { kind: 'copy', sources: words.slice(0, -1), dest: words.at(-1) ?? '' };
    }
    case 'WORKDIR': {
      const path = expand(instruction.getArgumentsContent() ?? '');
      const relative = !path.startsWith('/') && scope.workdir === undefined;
      const resolved = relative ? posix.normalize(path) : posix.resolve(scope.workdir ?? '/', path);
      if (!relative) scope.workdir = resolved;
      return { kind: 'workdir', path: resolved, relative };
    }
    case 'ENV':
    case 'LABEL':
    case 'ARG':
      return { kind: 'names', names: properties(instruction).map(([name]) => name) };
    case 'USER':
      return { kind: 'value', value: expand(instruction.getArgumentsContent() ?? '') };
    default:
      return { kind: 'keyword' };
  }
}

/** ARG inside a stage: a --build-arg wins, then the default, then the global ARG of that name. */
function declareArgs(
  instruction: Instruction,
  args: Map<string, string | null>,
  globals: Variables,
  buildArgs: Readonly<Record<string, string>>,
  expand: (word: string) => string,
): void {
  for (const [name, fallback] of properties(instruction)) {
    if (Object.hasOwn(buildArgs, name)) args.set(name, buildArgs[name] ?? '');
    else if (fallback !== null) args.set(name, expand(fallback));
    else if (globals.has(name)) args.set(name, globals.get(name) ?? null);
  }
}

function copyOrigin(dockerfile: DockerfileStages, stage: number, line: number): CopyOrigin {
  const source = dockerfile.stages[stage]?.copiesFrom.find((from) => from.line === line);
  if (source?.stage !== undefined) {
    const name = dockerfile.stages[source.stage]?.name;
    return { kind: 'stage', stage: source.stage, ...(name === undefined ? {} : { name }) };
  }
  if (source?.image !== undefined) return { kind: 'image', image: source.image };
  return { kind: 'context' };
}

/** Name/value pairs of ENV, LABEL and ARG (value null: `ARG NAME` with no default). */
function properties(instruction: Instruction): [string, string | null][] {
  const withProperties = instruction as Instruction & { getProperties?: () => { getName(): string; getValue(): string | null }[] };
  return (withProperties.getProperties?.() ?? []).map((property) => [property.getName(), property.getValue()]);
}

/** The exec (JSON) form's words, or undefined for the shell form. */
function jsonWords(instruction: Instruction): string[] | undefined {
  const content = (instruction.getArgumentsContent() ?? '').trim();
  if (!content.startsWith('[')) return undefined;
  try {
    const words: unknown = JSON.parse(content);
    return Array.isArray(words) && words.every((word) => typeof word === 'string') ? words : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A shell-form RUN's command as Docker's parser joins it: each escape at a line's end removed with
 * its newline, comment lines inside the continuation dropped, everything else as written.
 */
function shellCommand(instruction: Instruction, escape: string): string {
  const continued = new RegExp(`${escape === '`' ? '`' : '\\\\'}[ \\t]*\\r?$`);
  return (instruction.getRawArgumentsContent() ?? '')
    .split('\n')
    .filter((line, at) => at === 0 || !line.trimStart().startsWith('#'))
    .map((line) => line.replace(continued, '').replace(/\r$/, ''))
    .join('');
}

/** The arguments' first line, where heredoc bodies start below. */
const firstLine = (instruction: Instruction): string => (instruction.getArgumentsContent() ?? '').split('\n')[0] ?? '';

export const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();
