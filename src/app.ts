// Runs a plan: open the source, read the archive, analyse, write the report. Everything that
// touches the outside world comes in through `AppIo` or src/sources/, so bin/ stays a few lines
// and tests can run the whole command in-process.

import type { ParsedImage } from './model/types.js';
import type { ImageTarget } from './sources/image-target.js';
import { buildHelpText, helpText } from './cli/help.js';
import { parseCommandLine } from './cli/parse.js';
import type { BuildPlan, DockerfileChoice, ExplorePlan, ReportPlan, StageTarget } from './cli/plan.js';
import type { DockerfileProvenance } from './analysis/provenance.js';
import type { SourceStage } from './analysis/compare.js';
import { sanitizeText } from './sanitize.js';
import { holdHeapGrowth } from './collector.js';
import type { StepMap } from './build/step-map.js';
import type { ReadState } from './report/progress.js';

/**
 * What running a command needs, imported only then: `--help` and `--version` load none of it
 * (the reader, the analysis, dockerode), and stay close to Node's own start-up. What only some
 * reports need (the gate and its YAML reader, the Dockerfile parser, the comparisons, GitHub's
 * annotations) is loaded by the plans that use it.
 */
async function load() {
  const modules = await Promise.all([
    import('./analysis/analyse.js'),
    import('./sources/endpoint.js'),
    import('./report/render.js'),
    import('./sources/read-image.js'),
    import('./sources/output.js'),
    import('./report/progress.js'),
    import('./sources/provenance-input.js'),
    import('./sources/read-together.js'),
  ]);
  return Object.assign({}, ...modules) as UnionToIntersection<(typeof modules)[number]>;
}

/** The CI gate: its rules (.dive-ci, YAML) and its verdict. */
async function loadGate() {
  const [ci, files] = await Promise.all([import('./report/ci.js'), import('./sources/ci-files.js')]);
  return { ...ci, ...files };
}

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

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
  holdHeapGrowth();
  return io.explore(plan);
}

/** Builds the stages, then explores or reports on the final one, compared with its largest builder. */
async function buildThen(plan: BuildPlan, io: AppIo): Promise<number> {
  // The engine client loads for builds and engine images only.
  const [{ resolveEndpoint, systemEnvironment }, { buildStages }] = await Promise.all([load(), import('./sources/engine-build.js')]);
  const log = (line: string): void => void io.stderr.write(`${sanitizeText(line, { singleLine: true })}\n`);
  const built = await buildStages(plan.build, resolveEndpoint(plan.then.read.host, systemEnvironment()), log);
  if (built.builders.length === 0) log('the final stage copies from no other stage: nothing to compare it with');
  else log(`comparing with ${built.builders.length === 1 ? 'stage' : 'stages'} ${built.builders.map((stage) => stage.name).join(', ')}`);
  const images: { target: ImageTarget; builders?: readonly StageTarget[]; provenance: DockerfileProvenance } = {
    target: { kind: 'engine', reference: built.final.tag, name: built.final.tag },
    ...(built.builders.length > 0
      ? { builders: built.builders.map((stage) => ({ name: stage.name, target: { kind: 'engine', reference: stage.tag, name: stage.tag } as const })) }
      : {}),
    provenance: built.provenance,
  };
  // The Dockerfile just built places the findings and layers on its lines.
  const dockerfile: DockerfileChoice & { readonly text: string } = {
    path: built.dockerfile.path,
    text: built.dockerfile.text,
    buildArgs: plan.build.buildArgs,
    ...(plan.build.target !== undefined ? { target: plan.build.target } : {}),
  };
  if (plan.then.command === 'explore') return explore({ ...plan.then, ...images, dockerfile }, io);
  return report({ ...plan.then, ...images, dockerfile }, io);
}

async function report(plan: ReportPlan, io: AppIo): Promise<number> {
  holdHeapGrowth();
  const { analyseImage, renderReport, writeOutput, appendOutput, checkOutput, systemEnvironment, provenanceInput } = await load();
  const target = plan.target;
  const env = systemEnvironment().env;
  // The gate's rules are read first: a bad threshold should not cost reading the image. JUnit's
  // test cases are the gate's rules, so that report reads them too (without --ci it only reports).
  const gating = plan.ci !== undefined || plan.format === 'junit' ? await loadGate() : undefined;
  const rules = gating?.gateRules({ flags: plan.ci?.flags ?? {}, ...(await gating.readCiFiles(plan.ci?.diveCiPath === undefined ? {} : { diveCiPath: plan.ci.diveCiPath })) });
  // So is the report's destination: a missing directory should not cost reading the image either.
  if (plan.output !== undefined) await checkOutput(plan.output);
  const placeOn = await dockerfilePlacer(plan.dockerfile);
  // The image, its builders and the version it is compared with are read at once, each parsed
  // on a worker thread of its own: the report takes about the longest read, not their sum.
  const builders = plan.builders ?? [];
  const { reads, done } = await readTargets([target, ...builders.map((stage) => stage.target), ...(plan.compare ? [plan.compare] : [])], plan, io);
  const image = await (reads[0] as Promise<ParsedImage>);
  const provenance = await provenanceInput(image, target, { ...plan.read, ...(plan.provenance ? { dockerfile: plan.provenance } : {}) });
  const analysis = analyseImage(image, { ...placeOn(image, plan.dockerfile?.target), provenance });
  const sources: SourceStage[] = [];
  for (const [index, stage] of builders.entries()) {
    const builder = await (reads[1 + index] as Promise<ParsedImage>);
    sources.push({ name: stage.name, reference: stage.target.reference, analysis: analyseImage(builder, { role: 'builder', ...placeOn(builder, undefined) }) });
  }
  const comparison = sources.length > 0 ? (await import('./analysis/compare.js')).compareStages(analysis, sources, target.reference) : undefined;
  const versions = plan.compare
    ? (await import('./analysis/compare-versions.js')).compareVersions(analysis, analyseImage(await (reads[1 + builders.length] as Promise<ParsedImage>)), { current: target.reference, other: plan.compare.reference })
    : undefined;
  await done;
  const gate = rules && gating ? gating.evaluateGate(rules, analysis) : undefined;
  const render = (): Promise<string> =>
    renderReport(analysis, {
      format: plan.format,
      source: { kind: target.kind, reference: target.reference },
      toolVersion: io.version,
      top: plan.top,
      ...(comparison ? { comparison } : {}),
      ...(versions ? { versions } : {}),
      gate: gate?.results ?? [],
      ...(plan.dockerfile ? { dockerfile: plan.dockerfile.path } : {}),
    });
  if (plan.ci && gate && gating) {
    // The verdict goes to stdout; a report is rendered only when -o asks for one.
    if (plan.output !== undefined) await writeOutput(plan.output, await render());
    if (env.GITHUB_ACTIONS === 'true') {
      const [{ githubAnnotations }, { markdownReport }] = await Promise.all([import('./report/github.js'), import('./report/markdown.js')]);
      for (const line of githubAnnotations(analysis, gate.results, plan.top)) io.stdout.write(`${line}\n`);
      const summary = env.GITHUB_STEP_SUMMARY;
      if (summary) {
        const markdown = markdownReport(analysis, { reference: target.reference, top: plan.top, ...(comparison ? { comparison } : {}), ...(versions ? { versions } : {}) });
        await appendOutput(summary, `${markdown}\n### layerscope CI gate\n\n\`\`\`\n${gating.gateLines(gate.results).join('\n')}\n\`\`\`\n`);
      }
    }
    io.stdout.write(`${gating.gateLines(gate.results).join('\n')}\n`);
    return gate.exitCode;
  }
  if (plan.output === undefined) io.stdout.write(await render());
  else await writeOutput(plan.output, await render());
  return 0;
}

/** With a Dockerfile: reads it once, and places each image's history on it. */
async function dockerfilePlacer(choice: DockerfileChoice | undefined): Promise<(image: ParsedImage, target: string | undefined) => { dockerfile?: StepMap }> {
  if (!choice) return () => ({});
  const [{ readDockerfile }, { placeOn }] = await Promise.all([import('./sources/dockerfile-file.js'), import('./build/step-map.js')]);
  const text = choice.text ?? (await readDockerfile(choice.path, 'give --dockerfile the path of the Dockerfile the image was built from'));
  const read = { ...choice, text };
  // A Dockerfile that does not parse is a usage error before any image is read.
  placeOn(read, undefined)({ history: [] });
  return (image, target) => ({ dockerfile: placeOn(read, target)(image) });
}

/**
 * Reads the images at once (readTogether), with one progress line on stderr for all of them when
 * wanted, cleared once every read has ended (`done`), and before any read's failure is thrown.
 */
async function readTargets(targets: readonly ImageTarget[], plan: ReportPlan, io: AppIo): Promise<{ reads: Promise<ParsedImage>[]; done: Promise<void> }> {
  const { readTogether, readsLine } = await load();
  const columns = io.stderr.columns ?? 80;
  if (!(plan.progress ?? io.stderr.isTTY === true)) {
    const reads = readTogether(targets, { read: plan.read });
    return { reads, done: Promise.allSettled(reads).then(() => {}) };
  }
  const states: ReadState[] = targets.map((target) => ({
    reference: target.reference,
    progress: { archiveBytes: 0, blobsDone: 0 },
    expectedBytes: undefined,
    ...(target.kind === 'engine' ? { waitingFor: 'the engine to start the export' } : {}),
  }));
  const started = readTogether(targets, {
    read: plan.read,
    onProgress: (index, progress, expectedBytes) => {
      states[index] = { ...(states[index] as ReadState), progress, expectedBytes };
      io.stderr.write(`\r${readsLine(states, columns)}`);
    },
  });
  const done = Promise.allSettled(started).then(() => void io.stderr.write(`\r${' '.repeat(Math.max(0, columns - 1))}\r`));
  const reads = started.map((read) =>
    read.catch(async (error: unknown) => {
      await done;
      throw error;
    }),
  );
  for (const read of reads) read.catch(() => {});
  return { reads, done };
}
