// Runs a plan: open the source, read the archive, analyse, write the report. Everything that
// touches the outside world comes in through `AppIo` or src/sources/, so bin/ stays a few lines
// and tests can run the whole command in-process.

import { analyseImage } from './analysis/analyse.js';
import { compareVersions } from './analysis/compare-versions.js';
import { compareStages, type SourceStage } from './analysis/compare.js';
import { provenanceInput } from './sources/provenance-input.js';
import type { ParsedImage } from './model/types.js';
import type { ImageTarget } from './sources/image-target.js';
import { buildStages } from './sources/engine-build.js';
import { buildHelpText, helpText } from './cli/help.js';
import { parseCommandLine } from './cli/parse.js';
import type { BuildPlan, ExplorePlan, ReportPlan, StageTarget } from './cli/plan.js';
import type { DockerfileProvenance } from './analysis/provenance.js';
import { sanitizeText } from './sanitize.js';
import { resolveEndpoint, systemEnvironment } from './sources/endpoint.js';
import { evaluateGate, gateLines, gateRules } from './report/ci.js';
import { jsonReport } from './report/json.js';
import { readCiFiles } from './sources/ci-files.js';
import { markdownReport } from './report/markdown.js';
import { readImage } from './sources/read-image.js';
import { writeOutput } from './sources/output.js';
import { progressLine } from './report/progress.js';

export interface AppIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  readonly version: string;
  /** Opens the interactive explorer (components/ provide it; src/ never imports a view). */
  readonly explore?: (plan: ExplorePlan) => Promise<number>;
}

/** Runs the command line; returns the exit code. User errors are thrown as LayerscopeError. */
export async function runCli(argv: readonly string[], io: AppIo): Promise<number> {
  const plan = parseCommandLine(argv, { interactive: io.stdout.isTTY === true && io.explore !== undefined });
  switch (plan.command) {
    case 'help':
      io.stdout.write(plan.topic === 'build' ? buildHelpText() : helpText());
      return 0;
    case 'version':
      io.stdout.write(`layerscope ${io.version}\n`);
      return 0;
    case 'explore':
      return explore(plan, io);
    case 'report':
      return report(plan, io);
    case 'build':
      return buildThen(plan, io);
  }
}

function explore(plan: ExplorePlan, io: AppIo): Promise<number> {
  if (!io.explore) throw new Error('an explore plan is made only where the explorer can open');
  return io.explore(plan);
}

/** Builds the stages, then explores or reports on the final one, compared with every stage it copies from. */
async function buildThen(plan: BuildPlan, io: AppIo): Promise<number> {
  const log = (line: string): void => void io.stderr.write(`${sanitizeText(line, { singleLine: true })}\n`);
  const built = await buildStages(plan.build, resolveEndpoint(plan.then.read.host, systemEnvironment()), log);
  if (built.builders.length === 0) log('the final stage copies from no other stage: nothing to compare it with');
  else log(`comparing with ${built.builders.length === 1 ? 'stage' : 'stages'} ${built.builders.map((stage) => stage.name).join(', ')}`);
  const images: { target: ImageTarget; builders?: readonly StageTarget[]; dockerfile: DockerfileProvenance } = {
    target: { kind: 'engine', reference: built.final.tag },
    ...(built.builders.length > 0 ? { builders: built.builders.map((stage) => ({ name: stage.name, target: { kind: 'engine', reference: stage.tag } as const })) } : {}),
    dockerfile: built.provenance,
  };
  return plan.then.command === 'explore' ? explore({ ...plan.then, ...images }, io) : report({ ...plan.then, ...images }, io);
}

async function report(plan: ReportPlan, io: AppIo): Promise<number> {
  const target = plan.target;
  // The gate's rules are read first: a bad threshold should not cost reading the image.
  const rules = plan.ci
    ? gateRules({ flags: plan.ci.flags, ...(await readCiFiles(plan.ci.diveCiPath === undefined ? {} : { diveCiPath: plan.ci.diveCiPath })) })
    : undefined;
  const image = await readTarget(target, plan, io);
  const analysis = analyseImage(image, { role: 'final', provenance: await provenanceInput(image, target, { ...plan.read, ...(plan.dockerfile ? { dockerfile: plan.dockerfile } : {}) }) });
  const sources: SourceStage[] = [];
  for (const stage of plan.builders ?? []) {
    sources.push({ name: stage.name, reference: stage.target.reference, analysis: analyseImage(await readTarget(stage.target, plan, io), { role: 'builder' }) });
  }
  const comparison = sources.length > 0 ? compareStages(analysis, sources, target.reference) : undefined;
  const versions = plan.compare
    ? compareVersions(analysis, analyseImage(await readTarget(plan.compare, plan, io)), { current: target.reference, other: plan.compare.reference })
    : undefined;
  const extra = { ...(comparison ? { comparison } : {}), ...(versions ? { versions } : {}) };
  const render = (): string =>
    plan.format === 'json'
      ? jsonReport(analysis, { source: { kind: target.kind, reference: target.reference }, toolVersion: io.version, top: plan.top, ...extra })
      : markdownReport(analysis, { reference: target.reference, top: plan.top, ...extra });
  if (rules) {
    // The verdict goes to stdout; a report is rendered only when -o asks for one.
    const verdict = evaluateGate(rules, analysis);
    if (plan.output !== undefined) await writeOutput(plan.output, render());
    io.stdout.write(`${gateLines(verdict.results).join('\n')}\n`);
    return verdict.exitCode;
  }
  if (plan.output === undefined) io.stdout.write(render());
  else await writeOutput(plan.output, render());
  return 0;
}

/** Reads one image, with the progress line on stderr when wanted. */
async function readTarget(target: ImageTarget, plan: ReportPlan, io: AppIo): Promise<ParsedImage> {
  const columns = io.stderr.columns ?? 80;
  if (!(plan.progress ?? io.stderr.isTTY === true)) return readImage(target, { read: plan.read });
  const image = await readImage(target, {
    read: plan.read,
    onProgress: (progress, expectedBytes) => io.stderr.write(`\r${progressLine(target.reference, progress, expectedBytes, columns)}`),
  });
  io.stderr.write(`\r${' '.repeat(Math.max(0, columns - 1))}\r`);
  return image;
}
