// Every command-line flag, once: its type for the parser, its line in the help, the commands that
// take it, its default. The parser (parse.ts), the help (help.ts) and the test that no flag is
// silently ignored all read this table, so adding a flag is adding a row here and reading its
// value where the plan is made.

import type { GateFlags } from '../report/ci.js';
import { DEFAULT_TIMEOUT_MS } from '../sources/engine-timeout.js';
import { REPORT_FORMATS } from '../report/formats.js';

/**
 * What a flag can be given to. `explore` and `report` are the two ways `layerscope IMAGE` runs
 * (the explorer on a terminal; a report with --report, -o or --ci, or into a pipe); `build` is
 * `layerscope build`, which then explores or reports on what it built, so a flag it takes for
 * that must list the mode too.
 */
export type Mode = 'explore' | 'report' | 'build';

export interface Flag {
  /** node:util parseArgs' own fields. */
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  readonly default?: string;
  /** The value's name in the help (string flags): `--top N`. */
  readonly value?: string;
  readonly doc: string;
  readonly modes: readonly Mode[];
  /** A flag that takes effect only with another, named here (thresholds need --ci). */
  readonly requires?: string;
  /** A threshold of the CI gate: the key its value is passed under. */
  readonly gate?: keyof GateFlags;
  /** The values it takes, when they are a fixed list: the parser refuses others, the help lists them. */
  readonly choices?: readonly string[];
  /** A valid value (string flags), for the test that every flag changes what runs. */
  readonly example?: string;
}

const IMAGE: readonly Mode[] = ['explore', 'report', 'build'];
const REPORT: readonly Mode[] = ['report', 'build'];
const BUILD: readonly Mode[] = ['build'];

/** In help order. */
export const FLAGS = {
  builder: { type: 'string', multiple: true, value: 'IMAGE', doc: 'compare with a stage IMAGE the image copies from (any image form; repeatable)', modes: ['explore', 'report'], example: 'app:build' },
  compare: { type: 'string', value: 'IMAGE', doc: 'before/after: compare with another version of the image (reports)', modes: REPORT, example: 'app:main' },
  ci: { type: 'boolean', doc: 'gate: one PASS/FAIL/SKIP line per rule, exit 1 when one fails', modes: REPORT },
  'max-wasted-bytes': { type: 'string', value: 'SIZE', doc: "ci: dive's wasted bytes at most SIZE (20MB, 1.5GiB)", modes: REPORT, requires: 'ci', gate: 'maxWastedBytes', example: '20MB' },
  'max-wasted-percent': { type: 'string', value: 'N', doc: "ci: dive's user wasted percent at most N (5 or 5%)", modes: REPORT, requires: 'ci', gate: 'maxWastedPercent', example: '5%' },
  'min-efficiency': { type: 'string', value: 'R', doc: "ci: dive's efficiency at least R (0.95)", modes: REPORT, requires: 'ci', gate: 'minEfficiency', example: '0.95' },
  'max-removable-bytes': { type: 'string', value: 'SIZE', doc: 'ci: removable bytes at most SIZE', modes: REPORT, requires: 'ci', gate: 'maxRemovableBytes', example: '1MB' },
  'max-own-wasted-bytes': { type: 'string', value: 'SIZE', doc: 'ci: bytes your own layers waste (unreachable + removable; the base image aside) at most SIZE', modes: REPORT, requires: 'ci', gate: 'maxOwnWastedBytes', example: '1MB' },
  'max-size': { type: 'string', value: 'SIZE', doc: 'ci: image size at most SIZE', modes: REPORT, requires: 'ci', gate: 'maxSize', example: '1MB' },
  'fail-on': { type: 'string', multiple: true, value: 'CATEGORY', doc: 'ci: fail on any finding of CATEGORY (repeatable)', modes: REPORT, requires: 'ci', gate: 'failOn', example: 'toolchain' },
  'ci-config': { type: 'string', value: 'FILE', doc: "ci: dive's rules file (default .dive-ci; .layerscope.yml is read too)", modes: REPORT, requires: 'ci', example: 'ci.yml' },
  report: { type: 'string', value: 'FORMAT', choices: REPORT_FORMATS, doc: 'write a report instead of exploring (stdout unless -o); sarif, junit and codequality are for CI', modes: REPORT, example: 'json' },
  dockerfile: { type: 'string', value: 'PATH', doc: "place findings on the lines of the Dockerfile the image was built from (layerscope build does it itself)", modes: ['report'], example: 'Dockerfile' },
  output: { type: 'string', short: 'o', value: 'FILE', doc: 'write the report to FILE', modes: REPORT, example: 'out.md' },
  host: { type: 'string', short: 'H', value: 'URL', doc: 'engine endpoint: unix:///path.sock, tcp://host:2376, ssh://user@host', modes: IMAGE, example: 'tcp://127.0.0.1:2375' },
  platform: { type: 'string', value: 'OS/ARCH[/VARIANT]', doc: "the image to read from a multi-platform index (default: the engine's); with build, the platform to build for", modes: IMAGE, example: 'linux/arm64' },
  'tls-verify': { type: 'string', value: 'true|false', doc: 'registry:// only: false accepts any certificate, or plain HTTP (loopback registries need no flag)', modes: IMAGE, example: 'false' },
  top: { type: 'string', value: 'N', default: '20', doc: 'length of the largest-files lists in reports (the explorer\'s `e` too)', modes: IMAGE, example: '5' },
  timeout: { type: 'string', value: 'DURATION', doc: `give up when the engine sends nothing for this long (default ${DEFAULT_TIMEOUT_MS / 1000}s; 90s, 5m)`, modes: IMAGE, example: '5m' },
  'max-entries': { type: 'string', value: 'N', doc: 'stop with an error beyond N entries (default: no count; the read stops only when the heap would not hold the image)', modes: IMAGE, example: '5000000' },
  'no-cache': { type: 'boolean', doc: 'read every layer from the source; keep nothing in the layer cache', modes: IMAGE },
  'cache-dir': { type: 'string', value: 'DIR', doc: 'the layer cache directory (default $XDG_CACHE_HOME/layerscope, else ~/.cache/layerscope)', modes: IMAGE, example: '/tmp/layerscope-cache' },
  'cache-blobs': { type: 'boolean', doc: "keep layer blobs in the cache too (disk: the image's size), so the explorer's v reads a file without reading the image again", modes: IMAGE },
  'no-digest': { type: 'boolean', doc: 'skip hashing file contents (faster; no digests in the model)', modes: IMAGE },
  progress: { type: 'boolean', doc: 'reports: a progress line on stderr (default: when stderr is a terminal)', modes: REPORT },
  'no-progress': { type: 'boolean', doc: 'reports: no progress line', modes: REPORT },
  'no-mouse': { type: 'boolean', doc: 'explorer: leave the mouse to the terminal (no wheel scrolling)', modes: ['explore', 'build'] },
  demo: { type: 'boolean', doc: 'read the built-in demo image (no engine needed)', modes: ['explore', 'report'] },
  file: { type: 'string', short: 'f', value: 'PATH', doc: 'the Dockerfile (default: CONTEXT/Dockerfile)', modes: BUILD, example: 'Dockerfile.multi' },
  'build-arg': { type: 'string', multiple: true, value: 'K=V', doc: 'a build argument (repeatable)', modes: BUILD, example: 'A=1' },
  tag: { type: 'string', short: 't', value: 'NAME', doc: 'tag of the final stage; each stage it copies from gets NAME-STAGE', modes: BUILD, example: 'app:1' },
  target: { type: 'string', value: 'STAGE', doc: 'build and explore this stage instead of the last', modes: BUILD, example: 'final' },
  network: { type: 'string', value: 'MODE', doc: 'network for RUN steps (as docker build --network), e.g. host', modes: BUILD, example: 'host' },
  help: { type: 'boolean', short: 'h', doc: 'show this help', modes: IMAGE },
  version: { type: 'boolean', short: 'V', doc: 'show the version', modes: IMAGE },
} as const satisfies Readonly<Record<string, Flag>>;

export type FlagName = keyof typeof FLAGS;

/** The table's rows, each with its name. */
export function flagRows(): readonly (Flag & { readonly name: FlagName })[] {
  return (Object.entries(FLAGS) as [FlagName, Flag][]).map(([name, flag]) => ({ ...flag, name }));
}

/** `-o, --output FILE`, `--report md|json|…`: how the help writes a flag. */
export function flagUsage(name: string, flag: Flag): string {
  const value = flag.choices ? flag.choices.join('|') : flag.value;
  return `${flag.short ? `-${flag.short}, ` : ''}--${name}${value ? ` ${value}` : ''}`;
}


/** Build-only flags are those that neither explore nor report take. */
export function buildOnly(flag: Flag): boolean {
  return !flag.modes.includes('explore') && !flag.modes.includes('report');
}
