// Writing a report to a file: the one place a report leaves the process other than stdout.

import { writeFile } from 'node:fs/promises';
import { OutputError } from '../errors.js';

export async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    throw new OutputError(path, code === 'ENOENT' ? 'its directory does not exist' : code === 'EACCES' ? 'permission denied' : (message ?? String(error)));
  }
}
