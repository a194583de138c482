// Writing a report to a file: the one place a report leaves the process other than stdout. The
// destination is checked before the image is read, so a typo in -o costs nothing.

import { constants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OutputError } from '../errors.js';

export async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new OutputError(path, reason(error));
  }
}

/** Fails as writing would: the path is a directory, its directory is missing or not writable. */
export async function checkOutput(path: string): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new OutputError(path, 'it is a directory');
  try {
    if (existing) await access(path, constants.W_OK);
    else {
      const directory = await stat(dirname(path));
      if (!directory.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
      await access(dirname(path), constants.W_OK);
    }
  } catch (error) {
    throw new OutputError(path, reason(error));
  }
}

function reason(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  switch (code) {
    case 'ENOENT':
      return 'its directory does not exist';
    case 'ENOTDIR':
      return 'a part of its path is not a directory';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOSPC':
      return 'no space left on the disk';
    default:
      return message ?? String(error);
  }
}
