// Whatever the input, layerscope never dies of heap exhaustion (V8's fatal error, exit 134): it
// stops with exit 2, a message and how to give it more heap. Run with a 96 MB heap, so archives
// of a few MB are enough; there is no entry count unless --max-entries sets one, so only the heap
// guard stands between each run and a crash.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-bin.js';
import { largeDocumentsArchive, manyFilesArchive } from './heap-bombs.js';

const dir = mkdtempSync(join(tmpdir(), 'layerscope-heap-'));
const HEAP_MB = 96;

function run(archive: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, BIN, `docker-archive:${archive}`, '--report', 'json', '--no-progress', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

function expectStoppedInTime(result: ReturnType<typeof run>): void {
  expect(result.signal, result.stderr.slice(0, 400)).toBeNull();
  expect(result.status, result.stderr.slice(0, 400)).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/: stopped after \d+ entries, before running out of memory \(Node's heap is limited to \d+ MB\)$/);
  expect(lines[1]).toBe('hint: give Node more heap and run again, e.g. NODE_OPTIONS=--max-old-space-size=8192 (MB; the machine must have the memory)');
}

beforeAll(async () => {
  await manyFilesArchive(join(dir, 'long-names.tar'), 60_000, 3000);
  await manyFilesArchive(join(dir, 'empty-files.tar'), 300_000, 20);
  await manyFilesArchive(join(dir, 'fits.tar'), 20_000, 20);
  writeFileSync(join(dir, 'documents.tar.gz'), await largeDocumentsArchive(16, 15 * 1024 * 1024));
}, 300_000);

describe(`a ${HEAP_MB} MB heap`, () => {
  it('stops with exit 2 on 60,000 files with 3,000-character names, which no entry count foresees', () => {
    expectStoppedInTime(run(join(dir, 'long-names.tar')));
  });

  it('stops with exit 2 on 300,000 empty files, with no entry count to stop it first', () => {
    expectStoppedInTime(run(join(dir, 'empty-files.tar')));
  });

  it('stops with exit 2 on an archive of sixteen 15 MB JSON documents', () => {
    expectStoppedInTime(run(join(dir, 'documents.tar.gz')));
  });

  it('still reads an image that fits: 20,000 empty files', () => {
    const result = run(join(dir, 'fits.tar'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as { entries?: unknown; layers: unknown[] }).layers).toHaveLength(1);
  });
});
