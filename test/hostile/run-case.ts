// Runs the CLI on one hostile input as a user would, and what every failing run owes the user.

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { BIN } from '../helpers/run-bin.js';

export interface Run {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly written: readonly string[];
  readonly report?: string;
}

const DEADLINE_MS = 60_000;

/** Runs the CLI in a fresh directory with -o out.json; never more than `deadline` ms. */
export function runCase(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const cwd = mkdtempSync(join(tmpdir(), 'layerscope-hostile-run-'));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=256', BIN, ...args, '--report', 'json', '-o', 'out.json', '--no-progress'], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const written = readdirSync(cwd);
      resolve({ status, signal, stderr, written, ...(written.includes('out.json') ? { report: readFileSync(join(cwd, 'out.json'), 'utf8') } : {}) });
    });
  });
}

/** What every failing run owes the user: two lines, message and hint, and nothing else. */
export function expectOneLineError(run: Run, message: RegExp): void {
  expect(run.signal).toBeNull();
  expect(run.status).toBe(2);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(2);
  expect(lines[0]).toMatch(/^layerscope: /);
  expect(lines[0]).toMatch(message);
  expect(lines[1]).toMatch(/^hint: \S/);
  expect(run.written).toEqual([]);
}

