#!/usr/bin/env node
// The executable: wires the process to the compiled app, and alone decides how errors print and
// which exit code they give (STYLE.md point 4).
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { runCli } from '../dist/src/app.js';
import { LayerscopeError } from '../dist/src/errors.js';
import { sanitizeText } from '../dist/src/sanitize.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// A closed pipe (`layerscope … | head`) is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

let explored = false;

/** The explorer runs on the terminal's alternate screen, which is restored however it ends. */
async function explore(plan) {
  explored = true;
  // Ink draws nothing but the last frame when CI or CONTINUOUS_INTEGRATION is set, and reads them
  // once, on import. The explorer only starts on a terminal, where a person is: draw for them.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  // React picks its build from NODE_ENV on import: without it, the development build, with its
  // checks and performance marks on every render, several times slower.
  process.env.NODE_ENV ??= 'production';
  const { runExplorer } = await import('../dist/components/run-explorer.js');
  // Alternate screen; with the mouse, button reports in SGR encoding, for the wheel.
  const mouse = plan.mouse ? ['\u001b[?1000h\u001b[?1006h', '\u001b[?1006l\u001b[?1000l'] : ['', ''];
  process.stdout.write(`\u001b[?1049h\u001b[H${mouse[0]}`);
  const restore = () => {
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    process.stdout.write(`${mouse[1]}\u001b[?25h\u001b[?1049l`);
  };
  // A signal ends the run as `q` does: the terminal back as it was, then the conventional code.
  // Ink's own exit hook runs after this one and draws its last frame again: the terminal has been
  // restored by then, so nothing more is drawn (that frame would land on the user's screen).
  const onSignal = (signal) => {
    restore();
    process.stdout.write = () => true;
    process.exit(128 + (constants.signals[signal] ?? 0));
  };
  const signals = ['SIGTERM', 'SIGINT', 'SIGHUP'];
  process.once('exit', restore);
  for (const signal of signals) process.once(signal, onSignal);
  try {
    return await runExplorer(plan, { env: process.env, cwd: process.cwd(), platform: process.platform });
  } finally {
    restore();
    process.off('exit', restore);
    for (const signal of signals) process.off(signal, onSignal);
  }
}

let exitCode;
try {
  exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, version, explore });
} catch (error) {
  if (error instanceof LayerscopeError) {
    process.stderr.write(`layerscope: ${sanitizeText(error.message, { singleLine: true })}\n`);
    process.stderr.write(`hint: ${sanitizeText(error.hint, { singleLine: true })}\n`);
    exitCode = error.exitCode;
  } else {
    process.stderr.write('layerscope: unexpected error — this is a bug, please report it with the output below\n');
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    exitCode = 70;
  }
}
// After the explorer, exit at once: an export the user quit out of must not keep the process
// alive. Otherwise let stdout drain (a report piped to another program must arrive whole).
if (explored) process.exit(exitCode);
process.exitCode = exitCode;
