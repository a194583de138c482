// Command-line arguments → a plan. Pure: no I/O, so every form users type is unit-tested.
// Parsing uses node:util's parseArgs (strict), which is made for exactly this and adds no
// dependency; the help text is generated from the same option table.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { BuildRequest } from './sources/engine-build.js';
import type { GateFlags } from './report/ci.js';
import { UsageError } from './errors.js';
import type { Platform } from './archive/resolve-layout.js';
import type { DockerfileProvenance } from './analysis/provenance.js';

export type ImageTarget =
  | { readonly kind: 'engine'; readonly reference: string }
  | { readonly kind: 'docker-archive' | 'oci'; readonly reference: string; readonly path: string }
  | { readonly kind: 'demo'; readonly reference: string };

export type ReportFormat = 'json' | 'md';

/** A stage the target copies from: the image, and the stage's name (the reference for --builder). */
export interface StageTarget {
  readonly name: string;
  readonly target: ImageTarget;
}

export interface Plan {
  readonly command: 'help' | 'version' | 'report' | 'build';
  /** `layerscope build`: what to build; the built images then become target and builder. */
  readonly build?: BuildRequest;
  readonly target?: ImageTarget;
  /** --builder (repeatable), or the stages `layerscope build` built: the images to compare the target with. */
  readonly builders?: readonly StageTarget[];
  /** What `layerscope build` knows from the Dockerfile: the final stage's base image and each layer's origin. */
  readonly dockerfile?: DockerfileProvenance;
  /** --compare: another version of the image, for a before/after section. */
  readonly compare?: ImageTarget;
  /** --ci: the gate's thresholds from flags; the files are read where the command runs. */
  readonly ci?: { readonly flags: GateFlags; readonly diveCiPath?: string };
  /** Undefined: no --report given (the explorer on a terminal, Markdown into a pipe). */
  readonly format?: ReportFormat;
  readonly output?: string;
  readonly host?: string;
  readonly platform?: Platform;
  readonly top: number;
  readonly hashContent: boolean;
  /** true / false when forced by a flag; undefined: only when stderr is a terminal. */
  readonly progress?: boolean;
  /** The explorer turns on the terminal's mouse reports for the wheel (off: text selection as usual). */
  readonly mouse: boolean;
}

interface OptionDoc {
  readonly flag: string;
  readonly text: string;
}

const OPTIONS = {
  report: { type: 'string' },
  builder: { type: 'string', multiple: true },
  compare: { type: 'string' },
  ci: { type: 'boolean' },
  'ci-config': { type: 'string' },
  'max-wasted-bytes': { type: 'string' },
  'max-wasted-percent': { type: 'string' },
  'min-efficiency': { type: 'string' },
  'max-removable-bytes': { type: 'string' },
  'max-size': { type: 'string' },
  'fail-on': { type: 'string', multiple: true },
  output: { type: 'string', short: 'o' },
  host: { type: 'string', short: 'H' },
  platform: { type: 'string' },
  top: { type: 'string' },
  'no-digest': { type: 'boolean' },
  progress: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  'no-mouse': { type: 'boolean' },
  demo: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} satisfies ParseArgsConfig['options'];

const DOCS: readonly OptionDoc[] = [
  { flag: '--builder IMAGE', text: 'compare with the stage IMAGE the image copies from (any image form; repeatable)' },
  { flag: '--compare IMAGE', text: 'before/after: compare with another version of the image' },
  { flag: '--ci', text: 'gate: one PASS/FAIL/SKIP line per rule, exit 1 when one fails' },
  { flag: '--max-wasted-bytes SIZE', text: 'ci: dive\'s wasted bytes at most SIZE (20MB, 1.5GiB)' },
  { flag: '--max-wasted-percent N', text: 'ci: dive\'s user wasted percent at most N (5 or 5%)' },
  { flag: '--min-efficiency R', text: 'ci: dive\'s efficiency at least R (0.95)' },
  { flag: '--max-removable-bytes SIZE', text: 'ci: removable bytes at most SIZE' },
  { flag: '--max-size SIZE', text: 'ci: image size at most SIZE' },
  { flag: '--fail-on CATEGORY', text: 'ci: fail on any finding of CATEGORY (repeatable)' },
  { flag: '--ci-config FILE', text: 'ci: dive\'s rules file (default .dive-ci; .layerscope.yml is read too)' },
  { flag: '--report md|json', text: 'write a report instead of exploring (stdout unless -o)' },
  { flag: '-o, --output FILE', text: 'write the report to FILE' },
  { flag: '-H, --host URL', text: 'engine endpoint: unix:///path.sock, tcp://host:2376, ssh://user@host' },
  { flag: '--platform OS/ARCH[/VARIANT]', text: 'image to read from a multi-platform index (default: the engine\'s)' },
  { flag: '--top N', text: 'length of the largest-files lists (default 20)' },
  { flag: '--no-digest', text: 'skip hashing file contents (faster; no digests in the model)' },
  { flag: '--[no-]progress', text: 'progress line on stderr (default: when stderr is a terminal)' },
  { flag: '--no-mouse', text: 'explorer: leave the mouse to the terminal (no wheel scrolling)' },
  { flag: '--demo', text: 'read the built-in demo image (no engine needed)' },
  { flag: '-h, --help', text: 'show this help' },
  { flag: '-V, --version', text: 'show the version' },
];

/** Option lines of a help text, flags padded to one column. */
function optionLines(docs: readonly OptionDoc[]): string[] {
  const width = Math.max(...docs.map((doc) => doc.flag.length)) + 2;
  return docs.map((doc) => `  ${doc.flag.padEnd(width)}${doc.text}`);
}

export function helpText(): string {
  return [
    'layerscope — explore a container image layer by layer, find the wasted bytes',
    '',
    'Usage:',
    '  layerscope IMAGE [options]',
    '  layerscope --demo [options]',
    '  layerscope build [-f Dockerfile] [--build-arg K=V] [-t TAG] CONTEXT   (see layerscope build --help)',
    '',
    'IMAGE:',
    '  name[:tag|@digest] or an image ID   read it from the Docker Engine',
    '  docker-archive:PATH[:TAG]           a `docker save` tar, plain or gzip',
    '  oci:PATH[:TAG]                      an OCI image layout, directory or tar',
    '',
    'Options:',
    ...optionLines(DOCS),
    '',
    'Engine: --host, then DOCKER_HOST (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH), then the current',
    'Docker context, then unix:///var/run/docker.sock. Exit codes: 0 ok, 1 a --ci rule failed,',
    '2 usage or input error.',
    '',
  ].join('\n');
}

const BUILD_OPTIONS = {
  ...OPTIONS,
  file: { type: 'string', short: 'f' },
  'build-arg': { type: 'string', multiple: true },
  tag: { type: 'string', short: 't' },
  target: { type: 'string' },
  network: { type: 'string' },
} satisfies ParseArgsConfig['options'];

const BUILD_DOCS: readonly OptionDoc[] = [
  { flag: '-f, --file PATH', text: 'the Dockerfile (default: CONTEXT/Dockerfile)' },
  { flag: '--build-arg K=V', text: 'a build argument (repeatable)' },
  { flag: '-t, --tag NAME', text: 'tag of the final stage; each stage it copies from gets NAME-STAGE' },
  { flag: '--target STAGE', text: 'build and explore this stage instead of the last' },
  { flag: '--network MODE', text: 'network for RUN steps (as docker build --network), e.g. host' },
];

export function buildHelpText(): string {
  return [
    'layerscope build — build every stage a Dockerfile\'s final stage needs, then explore it',
    'compared with the stage(s) it copies from (or, with --report, write the report)',
    '',
    'Usage:',
    '  layerscope build [options] CONTEXT',
    '',
    'Build options:',
    ...optionLines(BUILD_DOCS),
    '',
    'Also: --report md|json, -o FILE, --top N, -H/--host, --no-digest, --[no-]progress (see layerscope --help).',
    '',
  ].join('\n');
}

export function parseCommandLine(argv: readonly string[]): Plan {
  if (argv[0] === 'build') return parseBuildCommand(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(firstLine(error));
  }
  const { values, positionals } = parsed;
  const base = commonOptions(values);
  if (values.help) return { ...base, command: 'help' };
  if (values.version) return { ...base, command: 'version' };
  if (positionals.length > 1) {
    throw new UsageError(`expected one image, got ${positionals.length}: ${positionals.join(' ')}`);
  }
  const image = positionals[0];
  if (values.demo && image !== undefined) throw new UsageError('give either an image or --demo, not both');
  if (!values.demo && image === undefined) {
    throw new UsageError('no image given', 'try `layerscope IMAGE` (e.g. `layerscope alpine:3.20`), or `layerscope --demo`');
  }
  const gateFlags: GateFlags = {
    maxWastedBytes: values['max-wasted-bytes'],
    maxWastedPercent: values['max-wasted-percent'],
    minEfficiency: values['min-efficiency'],
    maxRemovableBytes: values['max-removable-bytes'],
    maxSize: values['max-size'],
    failOn: values['fail-on'],
  };
  const gateFlagGiven = Object.values(gateFlags).some((value) => value !== undefined) || values['ci-config'] !== undefined;
  if (gateFlagGiven && !values.ci) throw new UsageError('thresholds and --ci-config take effect with --ci', 'add --ci to gate on them');
  if (values.ci && base.format !== undefined && values.output === undefined) {
    throw new UsageError('--ci prints its verdict on stdout: write the report to a file', 'add -o FILE, e.g. --ci --report md -o report.md');
  }
  return {
    ...base,
    command: 'report',
    ...(values.ci ? { ci: { flags: gateFlags, ...(values['ci-config'] !== undefined ? { diveCiPath: values['ci-config'] } : {}) } } : {}),
    target: values.demo ? { kind: 'demo', reference: 'demo' } : parseTarget(image ?? ''),
    ...(values.output !== undefined ? { output: values.output } : {}),
    ...(values.builder !== undefined ? { builders: values.builder.map((reference) => ({ name: reference, target: parseTarget(reference) })) } : {}),
    ...(values.compare !== undefined ? { compare: parseTarget(values.compare) } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values.platform !== undefined ? { platform: parsePlatform(values.platform) } : {}),
  };
}

/** The options every command shares; checks the report format. */
function commonOptions(values: {
  readonly top?: string | undefined;
  readonly report?: string | undefined;
  readonly 'no-digest'?: boolean | undefined;
  readonly 'no-mouse'?: boolean | undefined;
  readonly progress?: boolean | undefined;
  readonly 'no-progress'?: boolean | undefined;
}): Pick<Plan, 'top' | 'hashContent' | 'mouse' | 'progress' | 'format'> {
  const format = values.report;
  if (format !== undefined && format !== 'json' && format !== 'md') {
    throw new UsageError(`unknown report format "${format}"`, 'use --report md or --report json');
  }
  return {
    ...(format !== undefined ? { format } : {}),
    top: parseTop(values.top),
    hashContent: !values['no-digest'],
    mouse: !values['no-mouse'],
    ...(values.progress ? { progress: true } : values['no-progress'] ? { progress: false } : {}),
  };
}

function parseBuildCommand(argv: readonly string[]): Plan {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: BUILD_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(firstLine(error), 'run `layerscope build --help` for its options');
  }
  const { values, positionals } = parsed;
  const base = commonOptions(values);
  if (values.help) return { ...base, command: 'help', build: { context: '.', buildArgs: {} } };
  if (values.builder !== undefined || values.demo) throw new UsageError('layerscope build finds the builder stages itself', 'drop --builder / --demo');
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'no build context given' : `expected one build context, got ${positionals.length}`, 'e.g. layerscope build -f Dockerfile .');
  }
  const buildArgs: Record<string, string> = {};
  for (const pair of values['build-arg'] ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--build-arg takes KEY=VALUE, not "${pair}"`);
    buildArgs[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return {
    ...base,
    command: 'build',
    build: {
      context: positionals[0] ?? '.',
      buildArgs,
      ...(values.file !== undefined ? { dockerfile: values.file } : {}),
      ...(values.tag !== undefined ? { tag: values.tag } : {}),
      ...(values.target !== undefined ? { target: values.target } : {}),
      ...(values.network !== undefined ? { network: values.network } : {}),
    },
    ...(values.output !== undefined ? { output: values.output } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
  };
}

export function parseTarget(image: string): ImageTarget {
  for (const kind of ['docker-archive', 'oci'] as const) {
    if (image.startsWith(`${kind}:`)) {
      const path = image.slice(kind.length + 1);
      if (path === '') throw new UsageError(`${kind}: needs a path`, `e.g. ${kind}:./image.tar`);
      return { kind, reference: image, path };
    }
  }
  if (/\s/.test(image) || image === '' || image.startsWith('-')) {
    throw new UsageError(`"${image}" is not an image reference`, 'write it as name[:tag|@digest], docker-archive:PATH or oci:PATH');
  }
  return { kind: 'engine', reference: image };
}

export function parsePlatform(text: string): Platform {
  const [os, architecture, variant, extra] = text.split('/');
  if (!os || !architecture || extra !== undefined) {
    throw new UsageError(`"${text}" is not a platform`, 'write it as OS/ARCH[/VARIANT], e.g. linux/arm64/v8');
  }
  return { os, architecture, ...(variant ? { variant } : {}) };
}

function parseTop(text: string | undefined): number {
  if (text === undefined) return 20;
  const top = Number(text);
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top takes a whole number above 0, not "${text}"`);
  return top;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? message).replace(/\. To specify a positional.*$/, '');
}
