// Command-line arguments → a plan. Pure: no I/O, so every form users type is unit-tested.
// node:util's parseArgs (strict) reads the flag table as it is, with no dependency: it is made
// for exactly this. What it cannot know — which command or mode takes a flag, which flag needs
// another — is checked here from the same table, so no flag is accepted and then ignored.

import { parseArgs } from 'node:util';
import type { Platform } from '../model/platform.js';
import { UsageError } from '../errors.js';
import type { GateFlags } from '../report/ci.js';
import type { BuildRequest } from '../sources/engine-build.js';
import { DEMO_TARGET, parseTarget } from '../sources/image-target.js';
import { buildOnly, FLAGS, flagRows, type FlagName } from './flags.js';
import type { ReportFormat } from '../report/formats.js';
import type { ReadChoices } from '../sources/read-choices.js';
import type { BuildPlan, ExplorePlan, ParseContext, Plan, ReportPlan } from './plan.js';

type Values = ReturnType<typeof parseArgs<{ options: typeof FLAGS; allowPositionals: true; strict: true }>>['values'];
type ImageMode = 'explore' | 'report';

export function parseCommandLine(argv: readonly string[], context: ParseContext): Plan {
  const command = argv[0] === 'build' ? 'build' : 'image';
  const { values, positionals, given } = readArgs(command === 'build' ? argv.slice(1) : argv, command);
  if (values.help) return { command: 'help', topic: command === 'build' ? 'build' : 'main' };
  if (values.version) return { command: 'version' };
  const mode: ImageMode = values.report !== undefined || values.ci || values.output !== undefined || !context.interactive ? 'report' : 'explore';
  checkFlags(values, given, command, mode);
  const then = modeOptions(values, mode);
  return command === 'build' ? buildPlan(values, positionals, then) : imagePlan(values, positionals, then);
}

function readArgs(args: readonly string[], command: 'image' | 'build'): { values: Values; positionals: string[]; given: ReadonlySet<FlagName> } {
  try {
    const { values, positionals, tokens } = parseArgs({ args: joinNegativeValues(args), options: FLAGS, allowPositionals: true, strict: true, tokens: true });
    const given = new Set(tokens.flatMap((token) => (token.kind === 'option' ? [token.name as FlagName] : [])));
    return { values, positionals, given };
  } catch (error) {
    throw parserError(error, command);
  }
}

/**
 * parseArgs reads `--top -1` as a flag missing its value. No flag starts with a digit, so a
 * negative number after a flag that takes a value is that value (and then fails as a value).
 */
function joinNegativeValues(args: readonly string[]): string[] {
  const takesValue = new Set(flagRows().flatMap((flag) => (flag.type === 'string' ? [`--${flag.name}`, ...(flag.short ? [`-${flag.short}`] : [])] : [])));
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const next = args[i + 1];
    if (takesValue.has(arg) && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg.startsWith('--') ? arg : `--${shortName(arg)}`}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

function shortName(short: string): string {
  return flagRows().find((flag) => `-${flag.short}` === short)?.name ?? short;
}

/** parseArgs' errors, said as one line and a hint. */
function parserError(error: unknown, command: 'image' | 'build'): UsageError {
  const message = error instanceof Error ? error.message : String(error);
  const help = command === 'build' ? 'run `layerscope build --help` for its options' : 'run `layerscope --help` for the options';
  const option = /^(?:Unknown option|Option) '(?:-\w, )?(-{1,2}[^' ]+)/.exec(message)?.[1] ?? '';
  if (message.startsWith('Unknown option')) return new UsageError(`unknown option ${option}`, help);
  if (/argument is ambiguous|argument missing/.test(message)) return new UsageError(`${option} needs a value`, `a value that starts with a dash is written ${option}=VALUE`);
  if (message.includes('does not take an argument')) return new UsageError(`${option} takes no value`, help);
  return new UsageError(message.split('\n')[0] ?? message, help);
}

/** Every flag given must be taken by the command and the mode it runs in, with a value it takes and the flags it needs. */
function checkFlags(values: Values, given: ReadonlySet<FlagName>, command: 'image' | 'build', mode: ImageMode): void {
  for (const name of given) {
    const flag = FLAGS[name];
    if (command === 'build' && !(flag.modes as readonly string[]).includes('build')) {
      throw new UsageError(`--${name} does not apply to layerscope build`, 'run `layerscope build --help` for its options');
    }
    if (command === 'image' && buildOnly(flag)) throw new UsageError(`--${name} is an option of layerscope build`, 'e.g. layerscope build -f Dockerfile .');
    if (!buildOnly(flag) && !(flag.modes as readonly string[]).includes(mode)) {
      throw mode === 'explore'
        ? new UsageError(`--${name} has no effect in the explorer`, 'write a report instead: add --report md (or -o FILE)')
        : new UsageError(`--${name} has no effect on a report`, 'it is for the explorer, which opens on a terminal when none of --report, -o, --ci is given');
    }
    const choices: readonly string[] | undefined = 'choices' in flag ? flag.choices : undefined;
    const value = values[name];
    if (choices && typeof value === 'string' && !choices.includes(value)) {
      const listed = `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
      throw new UsageError(`--${name} takes ${listed}, not "${value}"`, `e.g. --${name} ${choices[0]}`);
    }
    const requires = 'requires' in flag ? (flag.requires as FlagName) : undefined;
    if (requires !== undefined && !given.has(requires)) throw new UsageError(`--${name} takes effect with --${requires}`, `add --${requires}`);
  }
}

/** --no-cache, --cache-dir, --cache-blobs: present in the plan only when given. */
function cacheChoices(values: Values): Pick<ReadChoices, 'noCache' | 'cacheDir' | 'cacheBlobs'> {
  if (values['no-cache'] && (values['cache-dir'] !== undefined || values['cache-blobs'])) {
    throw new UsageError('--no-cache keeps nothing: --cache-dir and --cache-blobs have no effect with it', 'drop --no-cache, or the other cache flag');
  }
  if (values['cache-dir'] === '') throw new UsageError('--cache-dir needs a directory', 'e.g. --cache-dir ~/.cache/layerscope');
  return {
    ...(values['no-cache'] ? { noCache: true } : {}),
    ...(values['cache-dir'] !== undefined ? { cacheDir: values['cache-dir'] } : {}),
    ...(values['cache-blobs'] ? { cacheBlobs: true } : {}),
  };
}

/** What explore or report needs beyond the images: the same after `layerscope build`. */
function modeOptions(values: Values, mode: ImageMode): BuildPlan['then'] {
  const read = {
    hashContent: !values['no-digest'],
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values.platform !== undefined ? { platform: parsePlatform(values.platform) } : {}),
    ...(values['tls-verify'] !== undefined ? { tlsVerify: parseSwitch('--tls-verify', values['tls-verify']) } : {}),
    ...(values.timeout !== undefined ? { timeoutMs: parseDuration(values.timeout) } : {}),
    ...(values['max-entries'] !== undefined ? { maxEntries: parseCount('--max-entries', values['max-entries']) } : {}),
    ...cacheChoices(values),
  };
  const top = parseTop(values.top);
  if (mode === 'explore') return { command: 'explore', read, top, mouse: !values['no-mouse'] };
  const format = (values.report ?? 'md') as ReportFormat;
  if (values.ci && values.report !== undefined && values.output === undefined) {
    throw new UsageError('--ci prints its verdict on stdout: write the report to a file', 'add -o FILE, e.g. --ci --report md -o report.md');
  }
  return {
    command: 'report',
    read,
    top,
    format,
    ...(values.output !== undefined ? { output: values.output } : {}),
    ...(values.compare !== undefined ? { compare: parseTarget(values.compare) } : {}),
    ...(values.ci ? { ci: { flags: gateFlags(values), ...(values['ci-config'] !== undefined ? { diveCiPath: values['ci-config'] } : {}) } } : {}),
    ...(values.progress ? { progress: true } : values['no-progress'] ? { progress: false } : {}),
    ...(values.dockerfile !== undefined ? { dockerfile: { path: values.dockerfile } } : {}),
  };
}

/** The thresholds, from the rows that name a gate key. */
function gateFlags(values: Values): GateFlags {
  const flags: Record<string, unknown> = {};
  for (const flag of flagRows()) {
    if (flag.gate !== undefined && values[flag.name] !== undefined) flags[flag.gate] = values[flag.name];
  }
  return flags as GateFlags;
}

function imagePlan(values: Values, positionals: readonly string[], then: BuildPlan['then']): ExplorePlan | ReportPlan {
  if (positionals.length > 1) throw new UsageError(`expected one image, got ${positionals.length}: ${positionals.join(' ')}`);
  const image = positionals[0];
  if (values.demo && image !== undefined) throw new UsageError('give either an image or --demo, not both');
  if (!values.demo && image === undefined) {
    throw new UsageError('no image given', 'try `layerscope IMAGE` (e.g. `layerscope alpine:3.20`), or `layerscope --demo`');
  }
  if (then.command === 'report' && then.format === 'codequality' && then.dockerfile === undefined) {
    throw new UsageError('GitLab places code quality issues on lines of a file: --report codequality needs --dockerfile PATH', 'add --dockerfile with the Dockerfile the image was built from (or use layerscope build)');
  }
  const images = {
    target: image === undefined ? DEMO_TARGET : parseTarget(image),
    ...(values.builder !== undefined ? { builders: values.builder.map((reference) => ({ name: reference, target: parseTarget(reference) })) } : {}),
  };
  return then.command === 'explore' ? { ...then, ...images } : { ...then, ...images };
}

function buildPlan(values: Values, positionals: readonly string[], then: BuildPlan['then']): BuildPlan {
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'no build context given' : `expected one build context, got ${positionals.length}`, 'e.g. layerscope build -f Dockerfile .');
  }
  const buildArgs: Record<string, string> = {};
  for (const pair of values['build-arg'] ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--build-arg takes KEY=VALUE, not "${pair}"`);
    buildArgs[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const build: BuildRequest = {
    context: positionals[0] ?? '.',
    buildArgs,
    ...(values.file !== undefined ? { dockerfile: values.file } : {}),
    ...(values.tag !== undefined ? { tag: values.tag } : {}),
    ...(values.target !== undefined ? { target: values.target } : {}),
    ...(values.network !== undefined ? { network: values.network } : {}),
    ...(then.read.platform !== undefined ? { platform: then.read.platform } : {}),
  };
  return { command: 'build', build, then };
}

export function parsePlatform(text: string): Platform {
  const [os, architecture, variant, extra] = text.split('/');
  if (!os || !architecture || extra !== undefined) {
    throw new UsageError(`"${text}" is not a platform`, 'write it as OS/ARCH[/VARIANT], e.g. linux/arm64/v8');
  }
  return { os, architecture, ...(variant ? { variant } : {}) };
}

function parseTop(text: string): number {
  const top = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isInteger(top) || top < 1) throw new UsageError(`--top takes a whole number above 0, not "${text}"`, 'e.g. --top 50');
  return top;
}

function parseSwitch(flag: string, text: string): boolean {
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new UsageError(`${flag} takes true or false, not "${text}"`, `e.g. ${flag}=false`);
}

function parseCount(flag: string, text: string): number {
  const count = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(count) || count < 1) throw new UsageError(`${flag} takes a whole number above 0, not "${text}"`);
  return count;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `90s`, `5m`, `1h`, `500ms`, or plain seconds: `--timeout 30`. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const ms = match ? Number(match[1]) * (DURATION_UNITS[match[2] ?? 's'] ?? 1000) : Number.NaN;
  if (!Number.isFinite(ms) || ms < 1 || ms > 2 ** 31 - 1) {
    throw new UsageError(`--timeout takes a duration such as 90s, 5m or 1h, not "${text}"`);
  }
  return Math.round(ms);
}
