// Keys → actions. Which action a command means depends on the focused pane; the counts and
// window heights the reducer needs come from the current frame.
import { useInput, type Key } from 'ink';
import { useCallback, useRef, type Dispatch } from 'react';
import type { Finding } from '../src/analysis/findings.js';
import type { Row } from '../src/model/tree-rows.js';
import type { ViewNode } from '../src/model/tree-view.js';
import { commandFor, isMouseReport, wheelOf, type Command } from './keymap.js';
import type { Action, ExplorerState, Pane } from './use-explorer-state.js';

export interface KeyContext {
  readonly rows: readonly Row[];
  readonly layerCount: number;
  readonly findings: readonly Finding[];
  /** Visible rows per pane. */
  readonly heights: Readonly<Record<Pane, number>>;
  readonly allDirectories: () => ReadonlySet<string>;
  readonly hasChildren: (node: ViewNode) => boolean;
  /** Lines the file viewer has, for scrolling it. */
  readonly viewLines: number;
  /** The pane drawn at a terminal cell (from 1), for the mouse wheel. */
  readonly paneAt: (column: number, row: number) => Pane;
  readonly exportReport: () => void;
  readonly quit: () => void;
}

/** One stable input handler that reads the latest state and frame, so no key acts on stale ones. */
export function useExplorerKeys(current: () => ExplorerState, dispatch: Dispatch<Action>, context: KeyContext): void {
  const latestContext = useRef(context);
  latestContext.current = context;
  const handler = useCallback(
    (input: string, key: Key) => {
      for (const [one, oneKey] of keystrokes(input, key)) handleKey(one, oneKey, current(), dispatch, latestContext.current);
    },
    [current, dispatch],
  );
  useInput(handler);
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
    if (char === '\r' || char === '\n') return ['', { ...NO_KEY, return: true }] as const;
    if (char === '\u007F' || char === '\b') return ['', { ...NO_KEY, backspace: true }] as const;
    const code = char.charCodeAt(0);
    if (code >= 1 && code <= 26) return [String.fromCharCode(code + 96), { ...NO_KEY, ctrl: true }] as const;
    return [char, { ...NO_KEY, shift: /[A-Z]/.test(char) }] as const;
  });
}

export function handleKey(input: string, key: Key, state: ExplorerState, dispatch: Dispatch<Action>, context: KeyContext): void {
  const wheel = wheelOf(input);
  if (wheel) {
    const pane = context.paneAt(wheel.column, wheel.row);
    const count = countIn(pane, context);
    if (!state.help) dispatch({ type: 'move', pane, delta: wheel.delta, count, height: context.heights[pane] });
    return;
  }
  if (isMouseReport(input)) return;
  if (state.view) return viewKey(input, key, dispatch, context);
  if (state.filtering) {
    if (key.return) dispatch({ type: 'endFilter', keep: true });
    else if (key.escape) dispatch({ type: 'endFilter', keep: false });
    else if (key.backspace || key.delete) dispatch({ type: 'filterBackspace' });
    else if (key.ctrl && input === 'c') context.quit();
    else if (input && !key.ctrl && !key.meta && !key.tab) dispatch({ type: 'filterText', text: input });
    return;
  }
  const command = commandFor(input, key);
  if (command === undefined) {
    if (key.escape && state.help) dispatch({ type: 'toggleHelp' });
    return;
  }
  const pane = state.focus;
  const count = countIn(pane, context);
  const height = context.heights[pane];
  const delta = movement(command, height, count);
  if (delta !== undefined) return dispatch({ type: 'move', pane, delta, count, height });
  switch (command) {
    case 'nextPane': return dispatch({ type: 'nextPane' });
    case 'toggle': {
      if (pane === 'findings') {
        const finding = context.findings[state.findings.index];
        const path = finding?.paths[0]?.path;
        if (finding && path !== undefined) {
          dispatch({ type: 'showFinding', layer: finding.layer.index, path, layerCount: context.layerCount, height: context.heights.layers });
        }
        return;
      }
      const row = context.rows[state.tree.index];
      if (pane === 'tree' && row && context.hasChildren(row.node)) dispatch({ type: 'toggleDir', path: row.node.path });
      if (pane === 'layers') dispatch({ type: 'nextPane' });
      return;
    }
    case 'expandAll': return dispatch({ type: 'expandAll', paths: context.allDirectories() });
    case 'collapseAll': return dispatch({ type: 'collapseAll' });
    case 'aggregate': return dispatch({ type: 'toggleMode' });
    case 'hideUnchanged': return dispatch({ type: 'toggleHideUnchanged' });
    case 'onlyFlagged': return dispatch({ type: 'toggleOnlyFlagged' });
    case 'filter': return dispatch({ type: 'startFilter' });
    case 'sort': return dispatch({ type: 'toggleSort' });
    case 'export': return context.exportReport();
    case 'compare': return dispatch({ type: 'toggleCompare' });
    case 'view': {
      const row = context.rows[state.tree.index];
      if (pane !== 'tree' || !row || (row.node.type !== 'file' && row.node.type !== 'hardlink')) {
        return dispatch({ type: 'message', text: "v shows a file's contents: choose a file in the tree" });
      }
      return dispatch({ type: 'openView', path: row.node.path, layer: row.node.layer });
    }
    case 'help': return dispatch({ type: 'toggleHelp' });
    case 'quit': return context.quit();
    case 'wheel': return; // handled above, with the pointer's position
  }
}

/** Keys while the file viewer is open: scrolling, closing, quitting; nothing else. */
function viewKey(input: string, key: Key, dispatch: Dispatch<Action>, context: KeyContext): void {
  const command = commandFor(input, key);
  const height = context.heights.tree;
  const scroll = (delta: number): void => void dispatch({ type: 'scrollView', delta, lines: context.viewLines, height });
  if (key.escape || command === 'view') return dispatch({ type: 'closeView' });
  if (command === 'quit') return context.quit();
  const delta = command && movement(command, height, context.viewLines);
  if (delta) scroll(delta);
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
