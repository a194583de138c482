// A real terminal for end-to-end tests: the real executable in a tmux pane, keys sent as a person
// types them, and the screen read back (capture-pane). Every wait is for what the test needs to
// see, never a fixed sleep.
import { execFileSync } from 'node:child_process';

export interface Terminal {
  readonly session: string;
  /** The pane's text, one line per row. */
  screen(): string;
  /** The pane's text with colours and attributes as escape sequences. */
  styled(): string;
  keys(...names: string[]): void;
  /** Alternate screen, mouse reporting (SGR), cursor shown. */
  modes(): string;
  /** Resolves with the first screen `accept` takes. */
  screenWhere(accept: (text: string) => boolean, timeoutMs?: number): Promise<string>;
}

export function tmuxServer(name: string) {
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', name, ...args], { encoding: 'utf8' });
  return {
    tmux,
    /** A new pane of `columns`×`rows` running `command` through the shell. */
    open(session: string, columns: number, rows: number, command: string): Terminal {
      tmux('new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), command);
      const screen = (): string => tmux('capture-pane', '-p', '-t', session);
      return {
        session,
        screen,
        styled: () => tmux('capture-pane', '-p', '-e', '-t', session),
        keys: (...names) => void tmux('send-keys', '-t', session, ...names),
        modes: () => tmux('display-message', '-p', '-t', session, 'alt=#{alternate_on} mouse=#{mouse_sgr_flag} cursor=#{cursor_flag}').trim(),
        async screenWhere(accept, timeoutMs = 60_000) {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const text = screen();
            if (accept(text)) return text;
            if (Date.now() > deadline) throw new Error(`the screen never matched; it shows:\n${text}`);
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        },
      };
    },
    close(): void {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
  };
}
