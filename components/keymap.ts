// Every key binding, as data. Views ask "which command is this key?"; the status bar and the
// help overlay are generated from this same table, so they cannot drift from what keys do.

import type { Key } from 'ink';

export type Command =
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'end'
  | 'nextPane'
  | 'toggle'
  | 'expandAll'
  | 'collapseAll'
  | 'aggregate'
  | 'hideUnchanged'
  | 'onlyFlagged'
  | 'filter'
  | 'sort'
  | 'export'
  | 'compare'
  | 'view'
  | 'help'
  | 'quit'
  | 'wheel';

export interface Binding {
  readonly command: Command;
  /** How the keys are written on screen. */
  readonly keys: string;
  readonly description: string;
  /** Shown in the status bar (the rest only in help). */
  readonly hint?: string;
  readonly matches: (input: string, key: Key) => boolean;
}

export const KEYMAP: readonly Binding[] = [
  { command: 'up', keys: '↑ k', description: 'move up', matches: (i, k) => k.upArrow || i === 'k' },
  { command: 'down', keys: '↓ j', description: 'move down', matches: (i, k) => k.downArrow || i === 'j' },
  { command: 'pageUp', keys: 'PgUp', description: 'page up', matches: (_, k) => k.pageUp },
  { command: 'pageDown', keys: 'PgDn', description: 'page down', matches: (_, k) => k.pageDown },
  { command: 'home', keys: 'Home g', description: 'first row', matches: (i, k) => k.home || i === 'g' },
  { command: 'end', keys: 'End G', description: 'last row', matches: (i, k) => k.end || i === 'G' },
  { command: 'nextPane', keys: 'Tab', description: 'next pane (layers, files, findings)', hint: 'pane', matches: (_, k) => k.tab },
  { command: 'toggle', keys: 'Enter Space', description: 'open or close; choose a finding', hint: 'open', matches: (i, k) => k.return || i === ' ' },
  { command: 'expandAll', keys: ']', description: 'expand all directories', matches: (i) => i === ']' },
  { command: 'collapseAll', keys: '[', description: 'collapse all directories', matches: (i) => i === '[' },
  { command: 'aggregate', keys: 'a', description: "layer's changes / whole tree to it", hint: 'changes/all', matches: (i) => i === 'a' },
  { command: 'hideUnchanged', keys: 'u', description: 'hide unchanged files', hint: 'unchanged', matches: (i) => i === 'u' },
  { command: 'onlyFlagged', keys: 'w', description: 'only files with findings', hint: 'flagged', matches: (i) => i === 'w' },
  { command: 'filter', keys: '/', description: 'filter (Enter keeps, Esc clears)', hint: 'filter', matches: (i) => i === '/' },
  { command: 'sort', keys: 's', description: 'sort by size / name', hint: 'sort', matches: (i) => i === 's' },
  { command: 'view', keys: 'v', description: "a file's contents, as its layer wrote it", hint: 'view', matches: (i) => i === 'v' },
  { command: 'compare', keys: 'c', description: 'compare with the builder stage', hint: 'compare', matches: (i) => i === 'c' },
  { command: 'export', keys: 'e', description: 'write the Markdown report to a file', hint: 'export', matches: (i) => i === 'e' },
  { command: 'help', keys: '?', description: 'this help', hint: 'help', matches: (i) => i === '?' },
  { command: 'quit', keys: 'q Ctrl-C', description: 'quit', hint: 'quit', matches: (i, k) => i === 'q' || (k.ctrl && i === 'c') },
  { command: 'wheel', keys: 'wheel', description: 'move in the pane under the pointer', matches: (i) => wheelOf(i) !== undefined },
];

export interface Wheel {
  /** Rows to move: negative is up. */
  readonly delta: number;
  /** Terminal cell under the pointer, from 1. */
  readonly column: number;
  readonly row: number;
}

const WHEEL_STEP = 3;

/**
 * A wheel turn as the terminal reports it in SGR mouse mode (`ESC [ < 64 ; x ; y M`, 65 for
 * down), which Ink hands over without the ESC. Other mouse events (clicks) are not wheels.
 */
export function wheelOf(input: string): Wheel | undefined {
  const match = /^\[<(\d+);(\d+);(\d+)[Mm]$/.exec(input);
  if (!match) return undefined;
  const button = Number(match[1]) & ~(4 | 8 | 16); // without Shift, Meta, Ctrl
  if (button !== 64 && button !== 65) return undefined;
  return { delta: button === 64 ? -WHEEL_STEP : WHEEL_STEP, column: Number(match[2]), row: Number(match[3]) };
}

/** A mouse report other than a wheel turn: ignored, never typed into the filter. */
export const isMouseReport = (input: string): boolean => /^\[<\d+;\d+;\d+[Mm]$/.test(input);

export function commandFor(input: string, key: Key): Command | undefined {
  return KEYMAP.find((binding) => binding.matches(input, key))?.command;
}

/**
 * The status bar's key hints, e.g. `Tab pane  a changes/all  / filter  ? help  q quit`, as many
 * as fit in `width` in table order, help and quit always kept (they lead to the rest).
 */
export function statusHints(width = Number.POSITIVE_INFINITY): string {
  const hints = KEYMAP.filter((binding) => binding.hint).map((binding) => ({ command: binding.command, text: `${binding.keys.split(' ')[0]} ${binding.hint}` }));
  const shown = new Set<Command>(['help', 'quit']);
  let used = hints.filter((hint) => shown.has(hint.command)).reduce((sum, hint) => sum + hint.text.length + 2, -2);
  for (const hint of hints) {
    if (shown.has(hint.command) || used + hint.text.length + 2 > width) continue;
    shown.add(hint.command);
    used += hint.text.length + 2;
  }
  return hints
    .filter((hint) => shown.has(hint.command))
    .map((hint) => hint.text)
    .join('  ');
}
