// Writing a report to a file (or appending to GitHub's job summary): the one place a report
// leaves the process other than stdout.

import { appendFile, writeFile } from 'node:fs/promises';
import { OutputError } from '../errors.js';

export async function writeOutput(path: string, text: string): Promise<void> {
  await writeFile(path, text).catch((error: unknown) => {
    throw outputError(path, error);
  });
}

/** Appends to a file another program reads (GitHub's job summary). */
export async function appendOutput(path: string, text: string): Promise<void> {
  await appendFile(path, text).catch((error: unknown) => {
    throw outputError(path, error);
  });
}

function outputError(path: string, error: unknown): OutputError {
  const { code, message } = error as { code?: string; message?: string };
  return new OutputError(path, code === 'ENOENT' ? 'its directory does not exist' : code === 'EACCES' ? 'permission denied' : (message ?? String(error)));
}
