// A signal ends the explorer as `q` does: in a real terminal (tmux), the built-in demo image is
// opened, then the process gets SIGTERM, SIGINT or SIGHUP (one run each). The terminal must be
// back as it was — the alternate screen left, mouse reporting off, the cursor shown — with the
// conventional exit code, and the scrollback the shell printed before must still be there. What
// the process wrote is recorded (tmux pipe-pane) to check that no ESC[3J (erase scrollback) was
// ever sent: inside the alternate screen tmux would not show it in the history.

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-bin.js';
import { tmuxServer } from './tmux.js';

const server = tmuxServer(`layerscope-signals-${process.pid}`);
const workdir = mkdtempSync(join(tmpdir(), 'layerscope-signals-'));
afterAll(() => server.close());

describe('the explorer, ended by a signal', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('%s restores the terminal and keeps the scrollback', { timeout: 180_000 }, async (signal) => {
    const pidFile = join(workdir, `${signal}.pid`);
    const go = join(workdir, `${signal}.go`);
    const raw = join(workdir, `${signal}.raw`);
    // Waits until the recording is on; then 200 numbered lines, more than the 30-row screen holds.
    const command = `while [ ! -e ${go} ]; do sleep 0.1; done; for i in $(seq 1 200); do echo "before-$i"; done; sh -c 'echo $$ > ${pidFile}; exec env LANG=C.UTF-8 TERM=xterm-256color ${process.execPath} ${BIN} --demo'; echo LAYERSCOPE-EXITED=$?; sleep 600`;
    const session = `signal-${signal}`;
    const term = server.open(session, 100, 30, command);
    server.tmux('pipe-pane', '-t', session, '-o', `cat > ${raw}`);
    writeFileSync(go, '');
    const state = (): string => server.tmux('display-message', '-p', '-t', session, 'alt=#{alternate_on} mouse=#{mouse_any_flag} cursor=#{cursor_flag}').trim();
    await term.screenWhere((text) => text.includes('? help'));
    expect(state()).toBe('alt=1 mouse=1 cursor=0');

    process.kill(Number(readFileSync(pidFile, 'utf8')), signal);
    const text = await term.screenWhere((t) => t.includes('LAYERSCOPE-EXITED='));
    expect(text).toContain(`LAYERSCOPE-EXITED=${128 + constants.signals[signal]}`);
    expect(state()).toBe('alt=0 mouse=0 cursor=1');
    expect(text).not.toContain('? help');
    const history = server.tmux('capture-pane', '-p', '-t', session, '-S', '-', '-E', '-');
    expect(history).toMatch(/^before-1$/m);
    expect(history).toMatch(/^before-200$/m);
    expect(existsSync(raw)).toBe(true);
    const written = readFileSync(raw, 'latin1');
    expect(written).toContain('\u001b[?1049h'); // the recording saw the explorer start
    expect(written).not.toContain('\u001b[3J');
  });
});
