// The CLI against an engine that misbehaves in every way the hostile corpus names: each a
// one-line error and a hint with exit 2, within the idle timeout, never a hang or a stack.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImageArchive } from '../../src/archive/read-image-archive.js';
import { writeImageArchive } from '../../src/archive/write-image-archive.js';
import { chunked, file } from '../helpers/archives.js';
import { expectOneLineError, runCase, type Run } from './run-case.js';
import { MODES, startFakeEngine, type FakeEngine, type Mode } from './fake-engine.js';

const EXPECTED: Readonly<Record<Exclude<Mode, 'ok' | 'open-after-end'>, RegExp>> = {
  'never-answers': /sent nothing for 2s while layerscope waited for the image inspect$/,
  'export-never-starts': /sent nothing for 2s while layerscope waited for the export of export-never-starts$/,
  'inspect-500': /the engine answered 500/,
  'inspect-wrong-shape': /sent a malformed image inspect: Size: expected number, received string$/,
  'inspect-not-json': /sent a malformed image inspect: it is not JSON$/,
  missing: /image missing not found in the engine/,
  'stall-after-headers': /sent nothing for 2s while layerscope waited for the export of stall-after-headers$/,
  'stall-mid-export': /sent nothing for 2s while layerscope waited for the export of stall-mid-export$/,
  'zeros-forever': /is empty or not a tar archive/,
  'export-500': /500/,
  'reset-mid-export': /connection was lost|truncated|ends (early|inside)/,
};

let engine: FakeEngine;
const runs = new Map<Mode, Run>();
let archive: Buffer;

beforeAll(async () => {
  archive = await writeImageArchive({ layout: 'docker-save', images: [{ layers: [[file('etc/motd', 'hello')], [file('big', 200_000)]], tags: ['ok:latest'] }] });
  const image = await readImageArchive(chunked(archive), { source: 'fixture' });
  engine = await startFakeEngine(archive, image.layers.map((layer) => layer.diffId));
  const all = await Promise.all(MODES.map(async (mode) => [mode, await runCase(['--host', engine.url, '--timeout', '2s', mode])] as const));
  for (const [mode, run] of all) runs.set(mode, run);
}, 300_000);
afterAll(async () => {
  await engine?.stop();
});

describe('an engine that misbehaves', () => {
  it('still reads an image from the fake engine when it behaves', () => {
    const run = runs.get('ok');
    expect(run?.stderr).toBe('');
    expect(run?.status).toBe(0);
    const report = JSON.parse(run?.report ?? '') as { layers: { bytes: number }[] };
    expect(report.layers.map((layer) => layer.bytes)).toEqual([5, 200_000]);
  });

  it('finishes the report and exits when the engine keeps the connection open after the end-of-archive marker', () => {
    // Were the reader to wait for the connection's end, the 2 s idle timeout would fail this run.
    const run = runs.get('open-after-end');
    expect(run?.signal).toBeNull();
    expect(run?.stderr).toBe('');
    expect(run?.status).toBe(0);
    const report = JSON.parse(run?.report ?? '') as { layers: { bytes: number }[] };
    expect(report.layers.map((layer) => layer.bytes)).toEqual([5, 200_000]);
  });

  it.each(Object.entries(EXPECTED))('%s: one line, a hint, exit 2', (mode, message) => {
    expectOneLineError(runs.get(mode as Mode) as Run, message);
  });

  it('lets go of an export that has not started when the builder read beside it fails: the builder\'s error, not a wait for the engine', async () => {
    // The idle timeout is 10 minutes: a run still holding the export would be killed at the case's deadline.
    const folder = mkdtempSync(join(tmpdir(), 'fake-engine-builder-'));
    const builder = join(folder, 'truncated.tar');
    writeFileSync(builder, archive.subarray(0, archive.length - 150_000));
    const run = await runCase(['--host', engine.url, '--timeout', '10m', 'export-never-starts', '--builder', `docker-archive:${builder}`]);
    rmSync(folder, { recursive: true, force: true });
    expectOneLineError(run, /truncated\.tar|ends inside|truncated/);
  });
});
