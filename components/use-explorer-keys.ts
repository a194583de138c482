// Keys → actions, by mode. The mode is what is on screen; each mode's handler sees only the
// commands the keymap gives that mode, so nothing acts behind the help, the too-small message,
// the filter line, the export prompt or the file viewer. Which action a main-screen command means
// depends on the focused pane; counts and window heights come from the current frame.
import { useInput, type Key } from 'ink';
import { useCallback, useEffect, useRef, type Dispatch } from 'react';
import type { Finding } from '../src/analysis/findings.js';
import type { RowList } from '../src/model/row-list.js';
import type { Row } from '../src/model/tree-rows.js';
import type { ViewNode } from '../src/model/tree-view.js';
import { commandFor, isMouseReport, wheelOf, type Command, type Mode } from './keymap.js';
import type { Action, ExplorerState, Pane } from './use-explorer-state.js';

export interface KeyContext {
  /** The terminal is below the minimum size: only the too-small message is on screen. */
  readonly tooSmall: boolean;
  readonly rows: RowList;
  readonly layerCount: number;
  readonly findings: readonly Finding[];
  /** Visible rows per pane. */
  readonly heights: Readonly<Record<Pane, number>>;
  readonly hasChildren: (node: ViewNode) => boolean;
  /** Lines the pager (file viewer, instruction) and the help have, and the rows they show. */
  readonly pagerLines: number;
  readonly helpLines: number;
  readonly helpHeight: number;
  /** The pane drawn at a terminal cell (from 1), for the mouse wheel. */
  readonly paneAt: (column: number, row: number) => Pane | undefined;
  /** Opens the export prompt (or says why not yet). */
  readonly startExport: () => void;
  readonly exportTo: (path: string) => void;
  readonly quit: () => void;
}

/** What is on screen, which decides which keys act. */
export function modeOf(state: ExplorerState, tooSmall: boolean): Mode {
  if (tooSmall) return 'small';
  if (state.help) return 'help';
  if (state.prompt) return 'prompt';
  if (state.filtering) return 'filter';
  if (state.view) return 'viewer';
  return 'main';
}

/**
 * One stable input handler. Keys that arrive in one read (a paste, tmux's send-keys, a held key)
 * are taken one per frame: each acts on the state and the frame (rows, view, heights) the one
 * before it left, so `a` then `]` opens the folders of the view `a` chose, not the previous one.
 */
export function useExplorerKeys(current: () => ExplorerState, dispatch: Dispatch<Action>, context: KeyContext): void {
  const latestContext = useRef(context);
  latestContext.current = context;
  const queue = useRef<Array<readonly [string, Key]>>([]);
  const drain = useCallback(() => {
    while (queue.current.length > 0) {
      const before = current();
      const [input, key] = queue.current.shift() as readonly [string, Key];
      handleKey(input, key, before, dispatch, latestContext.current);
      // A key that changed the state waits for its frame before the next one acts.
      if (current() !== before) return;
    }
  }, [current, dispatch]);
  const handler = useCallback(
    (input: string, key: Key) => {
      queue.current.push(...keystrokes(input, key));
      drain();
    },
    [drain],
  );
  useInput(handler);
  // After each frame, the next waiting key.
  useEffect(() => drain());
}

export const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
  home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
  backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};

/**
 * Ink hands over plain characters that arrive in one read as a single input ("jjj" when a held
 * key repeats faster than frames render, "\t\t" from a fast typist or tmux). Each is a keystroke
 * here, so none is lost; escape sequences (arrows, PgDn) and mouse reports arrive whole.
 */
export function keystrokes(input: string, key: Key): Array<readonly [string, Key]> {
  const chars = [...input];
  if (chars.length <= 1 || key.meta || input.includes('\u001B') || isMouseReport(input)) return [[input, key]];
  return chars.map((char) => {
    if (char === '\t') return ['', { ...NO_KEY, tab: true }] as const;
    if (char === '\r') return ['', { ...NO_KEY, return: true }] as const;
    if (char === '\u007F' || char === '\b') return ['', { ...NO_KEY, backspace: true }] as const;
    const code = char.charCodeAt(0);
    // Ctrl-Space is NUL; Ctrl-A … Ctrl-Z are 1 … 26 (as Ink names them when they arrive alone).
    if (code <= 26) return [String.fromCharCode(code + 96), { ...NO_KEY, ctrl: true }] as const;
    return [char, { ...NO_KEY, shift: /[A-Z]/.test(char) }] as const;
  });
}

function handleKey(input: string, key: Key, state: ExplorerState, dispatch: Dispatch<Action>, context: KeyContext): void {
  // From the state this key finds (the keys before it in one read may have changed the mode).
  const mode = modeOf(state, context.tooSmall);
  const wheel = wheelOf(input);
  if (wheel) return wheelKey(wheel, mode, state, dispatch, context);
  if (isMouseReport(input)) return;
  // A message answers the last key; the next one clears it.
  if (state.message !== undefined) dispatch({ type: 'message', text: undefined });
  const command = commandFor(mode, input, key);
  if (command === 'quit') return context.quit();
  switch (mode) {
    case 'small': return;
    case 'help': return scrollOr(command, context.helpLines, context.helpHeight, (delta) => dispatch({ type: 'scrollHelp', delta, lines: context.helpLines, height: context.helpHeight }), () => dispatch({ type: 'toggleHelp' }));
    case 'viewer': return scrollOr(command, context.pagerLines, context.heights.tree, (delta) => dispatch({ type: 'scrollView', delta, lines: context.pagerLines, height: context.heights.tree }), () => dispatch({ type: 'closeView' }));
    case 'filter': return typed(command, input, key, {
      confirm: () => dispatch({ type: 'endFilter', keep: true }),
      cancel: () => dispatch({ type: 'endFilter', keep: false }),
      backspace: () => dispatch({ type: 'filterBackspace' }),
      text: (text) => dispatch({ type: 'filterText', text }),
    });
    case 'prompt': return typed(command, input, key, {
      confirm: () => {
        dispatch({ type: 'endPrompt' });
        context.exportTo(state.prompt?.text ?? '');
      },
      cancel: () => {
        dispatch({ type: 'endPrompt' });
        dispatch({ type: 'message', text: 'export cancelled' });
      },
      backspace: () => dispatch({ type: 'promptBackspace' }),
      text: (text) => dispatch({ type: 'promptText', text }),
    });
    case 'main': return command ? mainKey(command, state, dispatch, context) : undefined;
  }
}

function wheelKey(wheel: { delta: number; column: number; row: number }, mode: Mode, state: ExplorerState, dispatch: Dispatch<Action>, context: KeyContext): void {
  if (mode === 'help') return dispatch({ type: 'scrollHelp', delta: wheel.delta, lines: context.helpLines, height: context.helpHeight });
  if (mode === 'viewer') return dispatch({ type: 'scrollView', delta: wheel.delta, lines: context.pagerLines, height: context.heights.tree });
  if (mode !== 'main') return;
  const pane = context.paneAt(wheel.column, wheel.row);
  if (pane === undefined || (pane === 'tree' && state.compare)) return;
  dispatch({ type: 'move', pane, delta: wheel.delta, count: countIn(pane, context), height: context.heights[pane] });
}

/** A pager's keys: movement scrolls, cancel closes. */
function scrollOr(command: Command | undefined, lines: number, height: number, scroll: (delta: number) => void, close: () => void): void {
  if (command === 'cancel') return close();
  const delta = command && movement(command, height, lines);
  if (delta) scroll(delta);
}

/** A text line's keys: Enter, Esc, Backspace from the keymap; anything printable is typed. */
function typed(command: Command | undefined, input: string, key: Key, on: { confirm(): void; cancel(): void; backspace(): void; text(text: string): void }): void {
  if (command === 'confirm') return on.confirm();
  if (command === 'cancel') return on.cancel();
  if (command === 'backspace') return on.backspace();
  // eslint-disable-next-line no-control-regex
  if (input && !key.ctrl && !key.meta && !key.tab && !/[\u0000-\u001f\u007f]/.test(input)) on.text(input);
}

function mainKey(command: Command, state: ExplorerState, dispatch: Dispatch<Action>, context: KeyContext): void {
  const pane = state.focus;
  const count = countIn(pane, context);
  const height = context.heights[pane];
  const delta = movement(command, height, count);
  if (delta !== undefined) return dispatch({ type: 'move', pane, delta, count, height });
  const row = pane === 'tree' && !state.compare ? context.rows.at(state.tree.index) : undefined;
  switch (command) {
    case 'nextPane': return dispatch({ type: 'nextPane' });
    case 'toggle': {
      if (pane === 'findings') return chooseFinding(state, dispatch, context);
      if (pane === 'layers') return dispatch({ type: 'nextPane' });
      if (row && context.hasChildren(row.node)) dispatch({ type: 'toggleDir', path: row.node.path });
      return;
    }
    case 'open': return row && !row.expanded && context.hasChildren(row.node) ? dispatch({ type: 'toggleDir', path: row.node.path }) : undefined;
    case 'close': {
      if (!row) return;
      if (row.expanded) return dispatch({ type: 'toggleDir', path: row.node.path });
      const parent = context.rows.parentOf(state.tree.index);
      return parent === undefined ? undefined : dispatch({ type: 'move', pane: 'tree', delta: parent - state.tree.index, count, height });
    }
    case 'expandAll': return dispatch({ type: 'expandAll' });
    case 'collapseAll': return dispatch({ type: 'collapseAll' });
    case 'aggregate': return dispatch({ type: 'toggleMode' });
    case 'hideUnchanged': return dispatch({ type: 'toggleKind', kind: 'unchanged' });
    case 'hideAdded': return dispatch({ type: 'toggleKind', kind: 'added' });
    case 'hideRemoved': return dispatch({ type: 'toggleKind', kind: 'removed' });
    case 'hideModified': return dispatch({ type: 'toggleKind', kind: 'modified' });
    case 'onlyFlagged': return dispatch({ type: 'toggleOnlyFlagged' });
    case 'attributes': return dispatch({ type: 'toggleAttributes' });
    case 'filter': return dispatch({ type: 'startFilter' });
    case 'sort': return dispatch({ type: 'toggleSort' });
    case 'export': return context.startExport();
    case 'compare': return dispatch({ type: 'toggleCompare' });
    case 'view': return viewKey(row, dispatch);
    case 'instruction': return dispatch({ type: 'openInstruction', layer: state.layers.index });
    case 'help': return dispatch({ type: 'toggleHelp' });
    default: return; // the other modes' commands, and the wheel (handled above, with the pointer's position)
  }
}

function chooseFinding(state: ExplorerState, dispatch: Dispatch<Action>, context: KeyContext): void {
  const finding = context.findings[state.findings.index];
  const path = finding?.paths[0]?.path;
  if (finding && path !== undefined) dispatch({ type: 'showFinding', layer: finding.layer.index, path, layerCount: context.layerCount, height: context.heights.layers });
}

/** `v`: a file's contents, a link's target, or what `v` is for. */
function viewKey(row: Row | undefined, dispatch: Dispatch<Action>): void {
  const node = row?.node;
  if (node?.type === 'file' || node?.type === 'hardlink') return dispatch({ type: 'openView', path: node.path, layer: node.layer });
  if (node?.type === 'symlink') return dispatch({ type: 'message', text: `/${node.path} is a symbolic link to ${node.linkTarget ?? '(no target)'}` });
  const what = node ? `/${node.path} is a ${node.type === 'dir' ? 'folder' : 'special file'}` : 'choose a file in the tree';
  dispatch({ type: 'message', text: `v shows a file's contents: ${what}` });
}

/** How far a navigation key moves in a list of `count` rows shown `height` at a time (the reducers clamp). */
function movement(command: Command, height: number, count: number): number | undefined {
  switch (command) {
    case 'up': return -1;
    case 'down': return 1;
    case 'pageUp': return -height;
    case 'pageDown': return height;
    case 'home': return -count;
    case 'end': return count;
    default: return undefined;
  }
}

const countIn = (pane: Pane, context: KeyContext): number =>
  pane === 'tree' ? context.rows.length : pane === 'layers' ? context.layerCount : context.findings.length;
