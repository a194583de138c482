#!/usr/bin/env node
// The executable: wires the process to the compiled app, and alone decides how errors print and
// which exit code they give (STYLE.md point 4).
import { readFileSync } from 'node:fs';
import { runCli } from '../dist/src/app.js';
import { LayerscopeError } from '../dist/src/errors.js';
import { sanitizeText } from '../dist/src/sanitize.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// A closed pipe (`layerscope … | head`) is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

try {
  process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, version });
} catch (error) {
  if (error instanceof LayerscopeError) {
    process.stderr.write(`layerscope: ${sanitizeText(error.message, { singleLine: true })}\n`);
    process.stderr.write(`hint: ${sanitizeText(error.hint, { singleLine: true })}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write('layerscope: unexpected error — this is a bug, please report it with the output below\n');
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 70;
  }
}
