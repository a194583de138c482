// Starts the explorer for a plan: a loading session, the Ink app over it, the export key's
// report file. Returns the exit code; an error the user can act on is thrown after the screen
// is torn down, for bin/ to print.
// Only what the first frame needs is imported up front: the sources, the Dockerfile's placing and
// the report are imported when first used, so the frame is drawn while they load.
import { render } from 'ink';
import type { ExplorePlan } from '../src/cli/plan.js';
import { createExploreSession } from '../src/explore-session.js';
import { reportDestination, writeOutput } from '../src/sources/output.js';
import { App, type ReportExport } from './App.js';
import { colourWanted, createTheme, unicodeWanted } from './theme.js';

export interface ExplorerIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where `e` proposes to write the report. */
  readonly cwd: string;
  /** Decides the glyphs with the locale (Windows terminals are UTF-8). */
  readonly platform: string;
}

export async function runExplorer(plan: ExplorePlan, io: ExplorerIo): Promise<number> {
  const { target, dockerfile } = plan;
  const session = createExploreSession({
    target,
    open: async (image) => {
      const { openImage, openOptionsOf } = await import('../src/sources/open-image.js');
      return openImage(image, openOptionsOf(plan.read));
    },
    hashContent: plan.read.hashContent,
    ...(plan.read.maxEntries ? { maxEntries: plan.read.maxEntries } : {}),
    ...(plan.builders ? { builders: plan.builders } : {}),
    provenance: async (image) => {
      const { provenanceInput } = await import('../src/sources/provenance-input.js');
      return provenanceInput(image, target, { ...plan.read, ...(plan.provenance ? { dockerfile: plan.provenance } : {}) });
    },
    ...(dockerfile ? { dockerfile: async (image) => (await import('../src/build/step-map.js')).placeOn(dockerfile, dockerfile.target)(image) } : {}),
    ...(plan.read.platform ? { platform: plan.read.platform } : {}),
  });
  const exportReport: ReportExport = {
    suggest: () => reportDestination(reportFileName(target.reference), io.cwd),
    write: async (path) => {
      const { analysis, comparison } = session.getSnapshot();
      if (!analysis) throw new Error('the image is still being read');
      const { markdownReport } = await import('../src/report/markdown.js');
      await writeOutput(path, markdownReport(analysis, { reference: target.reference, top: plan.top, ...(comparison?.status === 'ready' ? { comparison: comparison.value } : {}) }));
      return path;
    },
  };
  const theme = createTheme({ colour: colourWanted(io.env), unicode: unicodeWanted(io.env, io.platform) });
  const app = render(<App session={session} exportReport={exportReport} theme={theme} />, { stdout: keepingScrollback(process.stdout) });
  const stopOnFailure = session.subscribe(() => {
    if (session.getSnapshot().status === 'failed') app.unmount();
  });
  let bug: unknown;
  session.load().catch((error: unknown) => {
    bug = error;
    app.unmount();
  });
  await app.waitUntilExit();
  stopOnFailure();
  if (bug !== undefined) throw bug;
  const failure = session.getSnapshot().error;
  if (failure) throw failure;
  return 0;
}

/**
 * The terminal, minus ESC[3J: Ink clears the screen with it when a frame fills the terminal, and
 * it erases the user's scrollback (the shell history above the explorer) for good.
 */
export function keepingScrollback(stdout: NodeJS.WriteStream): NodeJS.WriteStream {
  return new Proxy(stdout, {
    get(target, key) {
      if (key === 'write') {
        return (chunk: unknown, ...rest: unknown[]) =>
          (target.write as (...args: unknown[]) => boolean)(typeof chunk === 'string' ? chunk.replaceAll('\u001b[3J', '') : chunk, ...rest);
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** `layerscope-report-<image>.md` in the current directory, the name reduced to safe characters. */
export function reportFileName(reference: string): string {
  const name = reference.replace(/^[a-z-]+:/, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80);
  return `layerscope-report-${name || 'image'}.md`;
}
