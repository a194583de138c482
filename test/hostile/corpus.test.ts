// Runs the CLI, as a user would, on every case of the hostile corpus: the expected exit code, a
// one-line error and a hint (never a stack), no hang (a deadline per run), bounded memory (a
// 256 MB heap), and nothing written in the working directory but the -o file.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hostileCorpus, type CorpusCase, type DirectoryFile, type JsonReport } from './corpus.js';
import { expectOneLineError, runCase, type Run } from './run-case.js';

/** Runs at most `limit` at once: the machine is shared. */
async function limited<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const at = next++;
        results[at] = await run(items[at] as T);
      }
    }),
  );
  return results;
}

const dir = mkdtempSync(join(tmpdir(), 'layerscope-hostile-'));

/** Writes a dir: layout's files as they are: bytes, symlinks, FIFOs. */
function materialise(path: string, files: Readonly<Record<string, DirectoryFile>>): void {
  mkdirSync(path);
  for (const [name, content] of Object.entries(files)) {
    if (content === 'fifo') execFileSync('mkfifo', [join(path, name)]);
    else if (Buffer.isBuffer(content)) writeFileSync(join(path, name), content);
    else symlinkSync(content.symlink, join(path, name));
  }
}
let cases: CorpusCase[] = [];
let runs: Run[] = [];

beforeAll(async () => {
  cases = await hostileCorpus();
  runs = await limited(cases, 3, (found) => {
    const path = found.path ?? join(dir, `${cases.indexOf(found)}${found.directory ? '' : '.tar'}`);
    if (found.bytes) writeFileSync(path, found.bytes);
    if (found.directory) materialise(path, found.directory);
    return runCase([`${found.directory ? 'dir' : 'docker-archive'}:${path}`, ...(found.args ?? [])]);
  });
}, 900_000);

describe('the hostile corpus', () => {
  it('has 40 cases or more, in both layouts', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(cases.filter((found) => found.name.startsWith('oci:')).length).toBeGreaterThanOrEqual(20);
    expect(cases.filter((found) => found.name.startsWith('docker-save:')).length).toBeGreaterThanOrEqual(20);
  });

  it('gives each case its outcome: a correct report, or one line of error and a hint', () => {
    const failures: string[] = [];
    cases.forEach((found, index) => {
      const run = runs[index] as Run;
      try {
        if (found.exit === 2) expectOneLineError(run, found.message ?? /./);
        else {
          expect(run.stderr).toBe('');
          expect(run.status).toBe(0);
          expect(run.written).toEqual(['out.json']);
          found.report?.(JSON.parse(run.report ?? '') as JsonReport);
        }
      } catch (error) {
        failures.push(`${found.name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)} — stderr: ${run.stderr.trim()}`);
      }
    });
    expect(failures).toEqual([]);
  });
});
