// Writing a report to a file (or appending to GitHub's job summary): the one place a report
// leaves the process other than stdout, and where the explorer's export proposes to write when
// the current directory will not take a file.

import { closeSync, existsSync, openSync, unlinkSync } from 'node:fs';
import { constants } from 'node:fs';
import { access, appendFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { OutputError } from '../errors.js';

export async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new OutputError(path, writeFailure(path, error));
  }
}

/** Appends to a file another program reads (GitHub's job summary). */
export async function appendOutput(path: string, text: string): Promise<void> {
  try {
    await appendFile(path, text);
  } catch (error) {
    throw new OutputError(path, writeFailure(path, error));
  }
}

/** Fails as writing would, before anything is read: -o names a directory, a missing one, or one not writable. */
export async function checkOutput(path: string): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  try {
    if (existing?.isDirectory()) throw Object.assign(new Error('a directory'), { code: 'EISDIR' });
    if (existing) await access(path, constants.W_OK);
    else {
      const directory = dirname(resolve(path));
      if (!(await stat(directory)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
      await access(directory, constants.W_OK);
    }
  } catch (error) {
    throw new OutputError(path, writeFailure(path, error));
  }
}

/** Why a write failed, in words, naming the directory where that is the cause. */
function writeFailure(path: string, error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const directory = dirname(resolve(path));
  switch (code) {
    case 'ENOENT': return existsSync(directory) ? `${directory} takes no new files (a /proc or /sys directory)` : `${directory} does not exist`;
    case 'EACCES':
    case 'EPERM': return `permission denied in ${directory}`;
    case 'EROFS': return `${directory} is on a read-only file system`;
    case 'EISDIR': return 'that is a directory; give a file name';
    case 'ENOTDIR': return `a part of ${directory} is not a directory`;
    case 'ENOSPC': return 'no space left on the device';
    default: return message ?? String(error);
  }
}

/**
 * Where the explorer proposes to write `fileName`: the current directory when a file can be
 * created there (tried, then removed: permissions alone do not say, root in /proc passes them),
 * else the temporary directory, with why.
 */
export function reportDestination(fileName: string, cwd: string): { readonly path: string; readonly note?: string } {
  const failed = canCreateIn(cwd);
  if (failed === undefined) return { path: fileName };
  const reason = failed === 'EACCES' || failed === 'EPERM' ? 'no permission' : failed === 'EROFS' ? 'read-only' : 'it takes no new files';
  return { path: join(tmpdir(), fileName), note: `${cwd} is not writable (${reason})` };
}

/** undefined when a new file can be created in `directory`, else the error code. */
function canCreateIn(directory: string): string | undefined {
  const probe = join(directory, `.layerscope-write-test-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? 'EIO';
  }
}
