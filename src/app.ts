// Runs a plan: open the source, read the archive, analyse, write the report. Everything that
// touches the outside world comes in through `AppIo` or src/sources/, so bin/ stays a few lines
// and tests can run the whole command in-process.

import { readImageArchive } from './archive/read-image-archive.js';
import { createWorkerLayerReader } from './archive/worker-layer-reader.js';
import { analyseImage } from './analysis/analyse.js';
import { helpText, parseCommandLine, type Plan } from './cli.js';
import { jsonReport } from './report/json.js';
import { markdownReport } from './report/markdown.js';
import { openImage } from './sources/open-image.js';
import { writeOutput } from './sources/output.js';
import { progressLine } from './report/progress.js';

export interface AppIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  readonly version: string;
  /** Opens the interactive explorer (components/ provide it; src/ never imports a view). */
  readonly explore?: (plan: Plan) => Promise<number>;
}

/** Runs the command line; returns the exit code. User errors are thrown as LayerscopeError. */
export async function runCli(argv: readonly string[], io: AppIo): Promise<number> {
  const plan = parseCommandLine(argv);
  switch (plan.command) {
    case 'help':
      io.stdout.write(helpText());
      return 0;
    case 'version':
      io.stdout.write(`layerscope ${io.version}\n`);
      return 0;
    case 'report':
      // No --report on a terminal: explore. Into a pipe or a file: the Markdown report.
      if (plan.format === undefined && io.stdout.isTTY === true && plan.output === undefined && io.explore) {
        return io.explore(plan);
      }
      await report(plan, io);
      return 0;
  }
}

async function report(plan: Plan, io: AppIo): Promise<void> {
  const target = plan.target;
  if (!target) throw new Error('a report plan has a target');
  const opened = await openImage(target, plan.host === undefined ? {} : { host: plan.host });
  const showProgress = plan.progress ?? io.stderr.isTTY === true;
  let lastDraw = 0;
  const layerReader = createWorkerLayerReader();
  const image = await readImageArchive(opened.archive(), {
    layerReader: layerReader.read,
    source: target.reference,
    hashContent: plan.hashContent,
    verify: opened.verify,
    ...(plan.platform ? { platform: plan.platform } : {}),
    ...(opened.platform ? { defaultPlatform: opened.platform } : {}),
    ...(opened.tag !== undefined ? { tag: opened.tag } : {}),
    ...(showProgress
      ? {
          onProgress: (progress) => {
            const now = Date.now();
            if (now - lastDraw < 100) return;
            lastDraw = now;
            io.stderr.write(`\r${progressLine(target.reference, progress, opened.expectedBytes, io.stderr.columns ?? 80)}`);
          },
        }
      : {}),
  }).finally(() => layerReader.close());
  if (showProgress) io.stderr.write(`\r${' '.repeat(Math.max(0, (io.stderr.columns ?? 80) - 1))}\r`);
  const analysis = analyseImage(image);
  const format = plan.format ?? 'md';
  const text =
    format === 'json'
      ? jsonReport(analysis, { source: { kind: target.kind, reference: target.reference }, toolVersion: io.version, top: plan.top })
      : markdownReport(analysis, { reference: target.reference, top: plan.top });
  if (plan.output === undefined) io.stdout.write(text);
  else await writeOutput(plan.output, text);
}
