// Reading a Dockerfile from disk, for `layerscope build` and --dockerfile: the one place its
// file errors become a message and a hint.

import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';

export async function readDockerfile(path: string, hint: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'unreadable');
    throw new UsageError(`cannot read the Dockerfile ${path} (${why})`, hint);
  }
}
