// Runs the real executable, as a user would, and captures what it prints.
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/layerscope.js', import.meta.url));

export interface BinResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `timeoutMs` (120 s by default): a build of several stages on a loaded machine takes longer. */
export function runBin(args: readonly string[], env: Record<string, string> = {}, cwd?: string, timeoutMs = 120_000): BinResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(cwd ? { cwd } : {}),
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * As runBin, without blocking: for tests that serve the executable from this process (a fake engine,
 * a registry's helper), and for long builds (a blocked worker misses vitest's calls).
 */
export function runBinAsync(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<BinResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { encoding: 'utf8', env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ status: error ? (typeof code === 'number' ? code : null) : 0, stdout, stderr });
      },
    );
  });
}
