// The explorer's state as a pure reducer over named actions (tested directly). Counts that
// depend on derived data (rows, window height) come in with the action, so the reducer never
// needs the tree itself.

import { useCallback, useRef, useState } from 'react';
import type { SortOrder } from '../src/model/tree-rows.js';
import type { ViewMode } from '../src/model/tree-view.js';

export type Pane = 'layers' | 'tree' | 'findings';
const PANES: readonly Pane[] = ['layers', 'tree', 'findings'];

/** A cursor in a list shown `height` rows at a time, from row `top`. */
export interface Cursor {
  readonly index: number;
  readonly top: number;
}

export interface ExplorerState {
  readonly focus: Pane;
  readonly layers: Cursor;
  readonly tree: Cursor;
  readonly findings: Cursor;
  readonly expanded: ReadonlySet<string>;
  readonly mode: ViewMode;
  readonly hideUnchanged: boolean;
  readonly onlyFlagged: boolean;
  readonly sort: SortOrder;
  readonly filter: string;
  /** The filter line is taking keystrokes. */
  readonly filtering: boolean;
  readonly help: boolean;
  /** The stage comparison shows in place of the file tree. */
  readonly compare: boolean;
  /** The file viewer, in place of the tree: which file, as which layer wrote it, scrolled how far. */
  readonly view?: { readonly path: string; readonly layer: number; readonly top: number };
  /** A path to put the tree cursor on once its row exists (after choosing a finding). */
  readonly reveal?: string;
  readonly message?: string;
}

export const initialState = (layer: number): ExplorerState => ({
  focus: 'layers',
  layers: { index: layer, top: 0 },
  tree: { index: 0, top: 0 },
  findings: { index: 0, top: 0 },
  expanded: new Set(),
  mode: 'aggregated',
  hideUnchanged: false,
  onlyFlagged: false,
  sort: 'size',
  filter: '',
  filtering: false,
  help: false,
  compare: false,
});

export type Action =
  | { readonly type: 'move'; readonly pane: Pane; readonly delta: number; readonly count: number; readonly height: number }
  | { readonly type: 'nextPane' }
  | { readonly type: 'toggleDir'; readonly path: string }
  | { readonly type: 'expandAll'; readonly paths: ReadonlySet<string> }
  | { readonly type: 'collapseAll' }
  | { readonly type: 'toggleMode' }
  | { readonly type: 'toggleHideUnchanged' }
  | { readonly type: 'toggleOnlyFlagged' }
  | { readonly type: 'toggleSort' }
  | { readonly type: 'startFilter' }
  | { readonly type: 'filterText'; readonly text: string }
  | { readonly type: 'filterBackspace' }
  | { readonly type: 'endFilter'; readonly keep: boolean }
  | { readonly type: 'toggleHelp' }
  | { readonly type: 'showFinding'; readonly layer: number; readonly path: string; readonly layerCount: number; readonly height: number }
  | { readonly type: 'revealed'; readonly index: number; readonly count: number; readonly height: number }
  | { readonly type: 'message'; readonly text: string | undefined }
  | { readonly type: 'toggleCompare' }
  | { readonly type: 'openView'; readonly path: string; readonly layer: number }
  | { readonly type: 'scrollView'; readonly delta: number; readonly lines: number; readonly height: number }
  | { readonly type: 'closeView' };

export function explorerReducer(state: ExplorerState, action: Action): ExplorerState {
  switch (action.type) {
    case 'move': {
      const moved = moveCursor(state[action.pane], action.delta, action.count, action.height);
      // A new layer shows a new tree: start it at the top.
      const tree = action.pane === 'layers' && moved.index !== state.layers.index ? { index: 0, top: 0 } : state.tree;
      return { ...withoutMessage(state), [action.pane]: moved, tree: action.pane === 'tree' ? moved : tree };
    }
    case 'nextPane':
      return { ...state, focus: PANES[(PANES.indexOf(state.focus) + 1) % PANES.length] as Pane };
    case 'toggleDir': {
      const expanded = new Set(state.expanded);
      if (expanded.has(action.path)) expanded.delete(action.path);
      else expanded.add(action.path);
      return { ...state, expanded };
    }
    case 'expandAll':
      return { ...state, expanded: action.paths };
    case 'collapseAll':
      return { ...state, expanded: new Set(), tree: { index: 0, top: 0 } };
    case 'toggleMode':
      return { ...state, mode: state.mode === 'aggregated' ? 'changes' : 'aggregated', tree: { index: 0, top: 0 } };
    case 'toggleHideUnchanged':
      return { ...state, hideUnchanged: !state.hideUnchanged, tree: { index: 0, top: 0 } };
    case 'toggleOnlyFlagged':
      return { ...state, onlyFlagged: !state.onlyFlagged, tree: { index: 0, top: 0 } };
    case 'toggleSort':
      return { ...state, sort: state.sort === 'size' ? 'name' : 'size' };
    case 'startFilter':
      return { ...state, filtering: true, focus: 'tree' };
    case 'filterText':
      return { ...state, filter: state.filter + action.text, tree: { index: 0, top: 0 } };
    case 'filterBackspace':
      return { ...state, filter: state.filter.slice(0, -1), tree: { index: 0, top: 0 } };
    case 'endFilter':
      return { ...state, filtering: false, ...(action.keep ? {} : { filter: '', tree: { index: 0, top: 0 } }) };
    case 'toggleHelp':
      return { ...state, help: !state.help };
    case 'showFinding': {
      const expanded = new Set(state.expanded);
      for (let at = action.path.lastIndexOf('/'); at > 0; at = action.path.lastIndexOf('/', at - 1)) {
        expanded.add(action.path.slice(0, at));
      }
      const layers = moveCursor({ index: action.layer, top: state.layers.top }, 0, action.layerCount, action.height);
      return { ...state, layers, expanded, focus: 'tree', reveal: action.path, filter: '', onlyFlagged: false, hideUnchanged: false };
    }
    case 'revealed': {
      const { reveal: _, ...rest } = state;
      return { ...rest, tree: moveCursor({ index: action.index, top: state.tree.top }, 0, action.count, action.height) };
    }
    case 'toggleCompare':
      return { ...state, compare: !state.compare };
    case 'openView':
      return { ...withoutMessage(state), compare: false, view: { path: action.path, layer: action.layer, top: 0 } };
    case 'scrollView': {
      if (!state.view) return state;
      const top = Math.max(0, Math.min(Math.max(0, action.lines - action.height), state.view.top + action.delta));
      return { ...state, view: { ...state.view, top } };
    }
    case 'closeView': {
      const { view: _, ...rest } = state;
      return rest;
    }
    case 'message':
      return action.text === undefined ? withoutMessage(state) : { ...state, message: action.text };
  }
}

/**
 * The reducer as a hook whose state is also readable at once (`current()`): keys can arrive
 * faster than frames (a paste, a key held down), and each must act on the state the previous
 * one left, not on the last rendered one.
 */
export function useExplorerState(layer: number): readonly [ExplorerState, (action: Action) => void, () => ExplorerState] {
  const [state, setState] = useState(() => initialState(layer));
  const latest = useRef(state);
  const dispatch = useCallback((action: Action) => {
    latest.current = explorerReducer(latest.current, action);
    setState(latest.current);
  }, []);
  const current = useCallback(() => latest.current, []);
  return [state, dispatch, current] as const;
}

/** Moves by `delta` (clamped), scrolling the window just enough to keep the cursor in view. */
export function moveCursor(cursor: Cursor, delta: number, count: number, height: number): Cursor {
  if (count <= 0) return { index: 0, top: 0 };
  const index = Math.max(0, Math.min(count - 1, cursor.index + delta));
  const rows = Math.max(1, height);
  let top = Math.min(cursor.top, Math.max(0, count - rows));
  if (index < top) top = index;
  if (index >= top + rows) top = index - rows + 1;
  return { index, top: Math.max(0, top) };
}

function withoutMessage(state: ExplorerState): ExplorerState {
  const { message: _, ...rest } = state;
  return rest;
}
