// Every key binding, as data, per mode. Views ask "which command is this key, in this mode?"; the
// status bar and the help are generated from this same table, so they cannot drift from what keys
// do. A mode is what is on screen (the help, the filter line, the export prompt, the file viewer,
// the too-small message, or the explorer itself); only its bindings act, so nothing acts behind it.

import type { Key } from 'ink';

export type Mode = 'main' | 'help' | 'filter' | 'prompt' | 'viewer' | 'small';

export type Command =
  | 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end'
  | 'close' | 'open' | 'nextPane' | 'toggle' | 'expandAll' | 'collapseAll'
  | 'aggregate' | 'hideUnchanged' | 'hideAdded' | 'hideRemoved' | 'hideModified' | 'onlyFlagged'
  | 'attributes' | 'filter' | 'sort' | 'view' | 'instruction' | 'compare' | 'export' | 'help'
  | 'cancel' | 'confirm' | 'backspace' | 'quit' | 'wheel';

export interface Binding {
  readonly command: Command;
  /** How the keys are written on screen. */
  readonly keys: string;
  readonly description: string;
  /** Shown in the status bar (the rest only in help). */
  readonly hint?: string;
  readonly modes: readonly Mode[];
  /** An alias for dive's users, listed in help as "dive: …". */
  readonly dive?: true;
  readonly matches: (input: string, key: Key) => boolean;
}

/** A plain key: the character, without Ctrl or Alt (Ctrl-A is not `a`). */
const plain = (...chars: string[]) => (input: string, key: Key): boolean => !key.ctrl && !key.meta && chars.includes(input);
const ctrl = (...chars: string[]) => (input: string, key: Key): boolean => key.ctrl && chars.includes(input);

const MAIN: readonly Mode[] = ['main'];
const SCROLLING: readonly Mode[] = ['main', 'help', 'viewer'];
const TYPING: readonly Mode[] = ['filter', 'prompt'];

export const KEYMAP: readonly Binding[] = [
  { command: 'up', keys: 'Up k', description: 'move up', modes: SCROLLING, matches: (i, k) => k.upArrow || plain('k')(i, k) },
  { command: 'down', keys: 'Down j', description: 'move down', modes: SCROLLING, matches: (i, k) => k.downArrow || plain('j')(i, k) },
  { command: 'pageUp', keys: 'PgUp', description: 'page up', modes: SCROLLING, matches: (_, k) => k.pageUp },
  { command: 'pageDown', keys: 'PgDn', description: 'page down', modes: SCROLLING, matches: (_, k) => k.pageDown },
  { command: 'home', keys: 'Home g', description: 'first row', modes: SCROLLING, matches: (i, k) => k.home || plain('g')(i, k) },
  { command: 'end', keys: 'End G', description: 'last row', modes: SCROLLING, matches: (i, k) => k.end || plain('G')(i, k) },
  { command: 'nextPane', keys: 'Tab', description: 'next pane (layers, files, findings)', hint: 'pane', modes: MAIN, matches: (_, k) => k.tab },
  { command: 'toggle', keys: 'Enter Space', description: 'open or close a folder; choose a finding', hint: 'open', modes: MAIN, matches: (i, k) => k.return || plain(' ')(i, k) },
  { command: 'close', keys: 'Left h', description: 'close the folder (or go to its parent)', modes: MAIN, matches: (i, k) => k.leftArrow || plain('h')(i, k) },
  { command: 'open', keys: 'Right l', description: 'open the folder', modes: MAIN, matches: (i, k) => k.rightArrow || plain('l')(i, k) },
  { command: 'expandAll', keys: ']', description: 'open all folders', modes: MAIN, matches: plain(']') },
  { command: 'collapseAll', keys: '[', description: 'close all folders', modes: MAIN, matches: plain('[') },
  { command: 'aggregate', keys: 'a', description: "the layer's own changes / the whole tree up to it", hint: 'changes/all', modes: MAIN, matches: plain('a') },
  { command: 'hideUnchanged', keys: 'u', description: 'hide / show unchanged files', hint: 'unchanged', modes: MAIN, matches: plain('u') },
  { command: 'hideAdded', keys: '+', description: 'hide / show added files', modes: MAIN, matches: plain('+') },
  { command: 'hideRemoved', keys: '-', description: 'hide / show removed files', modes: MAIN, matches: plain('-') },
  { command: 'hideModified', keys: '~', description: 'hide / show modified files', modes: MAIN, matches: plain('~') },
  { command: 'onlyFlagged', keys: 'w', description: 'only files with findings', hint: 'flagged', modes: MAIN, matches: plain('w') },
  { command: 'attributes', keys: 'b', description: 'permission, owner and time columns', modes: MAIN, matches: plain('b') },
  { command: 'filter', keys: '/', description: 'filter paths (Enter keeps, Esc clears)', hint: 'filter', modes: MAIN, matches: plain('/') },
  { command: 'sort', keys: 's', description: 'sort by size / by name', hint: 'sort', modes: MAIN, matches: plain('s') },
  { command: 'view', keys: 'v', description: "a file's contents as its layer wrote it; a link's target", hint: 'view', modes: MAIN, matches: plain('v') },
  { command: 'instruction', keys: 'i', description: "the selected layer's whole instruction", modes: MAIN, matches: plain('i') },
  { command: 'compare', keys: 'c', description: 'the stage comparison with the builder', hint: 'compare', modes: MAIN, matches: plain('c') },
  { command: 'export', keys: 'e', description: 'write the Markdown report to a file (asks where)', hint: 'export', modes: MAIN, matches: plain('e') },
  { command: 'help', keys: '?', description: 'this help', hint: 'help', modes: MAIN, matches: plain('?') },
  { command: 'quit', keys: 'q Ctrl-C', description: 'quit', hint: 'quit', modes: ['main', 'help', 'viewer', 'small'], matches: (i, k) => plain('q')(i, k) || ctrl('c')(i, k) },
  { command: 'quit', keys: 'Ctrl-C', description: 'quit', modes: TYPING, matches: ctrl('c') },
  // The modes' own keys.
  { command: 'cancel', keys: 'Esc ?', description: 'close', modes: ['help'], matches: (i, k) => k.escape || plain('?')(i, k) },
  { command: 'cancel', keys: 'Esc v i', description: 'close', modes: ['viewer'], matches: (i, k) => k.escape || plain('v', 'i')(i, k) },
  { command: 'confirm', keys: 'Enter', description: 'keep', modes: TYPING, matches: (_, k) => k.return },
  { command: 'cancel', keys: 'Esc', description: 'cancel', modes: TYPING, matches: (_, k) => k.escape },
  { command: 'backspace', keys: 'Backspace', description: 'delete a character', modes: TYPING, matches: (_, k) => k.backspace || k.delete },
  // dive's keys, for muscle memory. Ctrl-M is Enter to a terminal, so dive's "modified" is `~` here.
  { command: 'collapseAll', keys: 'Ctrl-Space', description: 'close all folders', dive: true, modes: MAIN, matches: ctrl('`', ' ', '@') },
  { command: 'filter', keys: 'Ctrl-F', description: 'filter', dive: true, modes: MAIN, matches: ctrl('f') },
  { command: 'aggregate', keys: 'Ctrl-L', description: 'layer changes / whole tree', dive: true, modes: MAIN, matches: ctrl('l') },
  { command: 'hideAdded', keys: 'Ctrl-A', description: 'added', dive: true, modes: MAIN, matches: ctrl('a') },
  { command: 'hideRemoved', keys: 'Ctrl-R', description: 'removed', dive: true, modes: MAIN, matches: ctrl('r') },
  { command: 'hideUnchanged', keys: 'Ctrl-U', description: 'unchanged', dive: true, modes: MAIN, matches: ctrl('u') },
  { command: 'attributes', keys: 'Ctrl-B', description: 'attributes', dive: true, modes: MAIN, matches: ctrl('b') },
  { command: 'wheel', keys: 'wheel', description: 'move in the pane under the pointer', modes: SCROLLING, matches: (i) => wheelOf(i) !== undefined },
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

export function commandFor(mode: Mode, input: string, key: Key): Command | undefined {
  return KEYMAP.find((binding) => binding.modes.includes(mode) && binding.matches(input, key))?.command;
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

/** One line of a mode's keys, for the status bar and the help: `Enter keep · Esc cancel · …`. */
export function modeHints(mode: Mode, dot = '·'): string {
  return KEYMAP.filter((binding) => binding.modes.includes(mode) && binding.modes.length <= 2 && !binding.dive)
    .map((binding) => `${binding.keys} ${binding.description}`)
    .join(` ${dot} `);
}
