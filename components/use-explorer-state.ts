// The explorer's state as a pure reducer over named actions (tested directly). Counts that
// depend on derived data (rows, window height) come in with the action, so the reducer never
// needs the tree itself.

import { useCallback, useRef, useState } from 'react';
import { ALL_FOLDERS, NO_FOLDERS, ancestorsOf, toggleFolder, withFolders, type Folders, type SortOrder } from '../src/model/tree-rows.js';
import type { ViewKind, ViewMode } from '../src/model/tree-view.js';

export type Pane = 'layers' | 'tree' | 'findings';
const PANES: readonly Pane[] = ['layers', 'tree', 'findings'];

/** A cursor in a list shown `height` rows at a time, from row `top`. */
export interface Cursor {
  readonly index: number;
  readonly top: number;
}

/** What shows in place of the tree, scrolled `top` lines: a file as a layer wrote it, or a layer's whole instruction. */
export type Pager = { readonly what: 'file'; readonly path: string; readonly layer: number; readonly top: number } | { readonly what: 'instruction'; readonly layer: number; readonly top: number };

export interface ExplorerState {
  readonly focus: Pane;
  readonly layers: Cursor;
  readonly tree: Cursor;
  readonly findings: Cursor;
  readonly expanded: Folders;
  /** With a filter kept, the folders the user closed (all others are open). */
  readonly closedInFilter: Folders;
  readonly mode: ViewMode;
  /** Kinds of change not shown (`u` unchanged, `+ - ~`, dive's Ctrl-A/R/U). */
  readonly hidden: ReadonlySet<ViewKind>;
  readonly onlyFlagged: boolean;
  /** Permission, owner and time columns in the tree. */
  readonly attributes: boolean;
  readonly sort: SortOrder;
  readonly filter: string;
  /** The filter line is taking keystrokes. */
  readonly filtering: boolean;
  readonly help: boolean;
  /** Help lines scrolled past. */
  readonly helpTop: number;
  /** The stage comparison shows in place of the file tree. */
  readonly compare: boolean;
  readonly view?: Pager;
  /** The export prompt: the path being edited, and why the default is what it is. */
  readonly prompt?: { readonly text: string; readonly note?: string };
  /** A path to put the tree cursor on once its row exists (after choosing a finding). */
  readonly reveal?: string;
  /** A one-off message in the status bar, until the next key. */
  readonly message?: string;
}

export const initialState = (layer: number): ExplorerState => ({
  focus: 'layers',
  layers: { index: layer, top: 0 },
  tree: { index: 0, top: 0 },
  findings: { index: 0, top: 0 },
  expanded: NO_FOLDERS,
  closedInFilter: NO_FOLDERS,
  mode: 'aggregated',
  hidden: new Set(),
  onlyFlagged: false,
  attributes: false,
  sort: 'size',
  filter: '',
  filtering: false,
  help: false,
  helpTop: 0,
  compare: false,
});

/** Moving the cursors and the focus, and landing on a finding's file. */
type NavigationAction =
  | { readonly type: 'move'; readonly pane: Pane; readonly delta: number; readonly count: number; readonly height: number }
  | { readonly type: 'nextPane' }
  | { readonly type: 'showFinding'; readonly layer: number; readonly path: string; readonly layerCount: number; readonly height: number }
  | { readonly type: 'revealed'; readonly index: number; readonly count: number; readonly height: number };

/** Which rows the tree shows, and how. */
type TreeAction =
  | { readonly type: 'toggleDir'; readonly path: string }
  | { readonly type: 'expandAll' }
  | { readonly type: 'collapseAll' }
  | { readonly type: 'toggleMode' }
  | { readonly type: 'toggleKind'; readonly kind: ViewKind }
  | { readonly type: 'toggleOnlyFlagged' }
  | { readonly type: 'toggleAttributes' }
  | { readonly type: 'toggleSort' };

/** The filter line and the export prompt: text typed into a line. */
type LineAction =
  | { readonly type: 'startFilter' }
  | { readonly type: 'filterText'; readonly text: string }
  | { readonly type: 'filterBackspace' }
  | { readonly type: 'endFilter'; readonly keep: boolean }
  | { readonly type: 'startPrompt'; readonly text: string; readonly note?: string }
  | { readonly type: 'promptText'; readonly text: string }
  | { readonly type: 'promptBackspace' }
  | { readonly type: 'endPrompt' };

/** What shows over or in place of the tree: the help, the comparison, a file or an instruction; and the status message. */
type ScreenAction =
  | { readonly type: 'toggleHelp' }
  | { readonly type: 'scrollHelp'; readonly delta: number; readonly lines: number; readonly height: number }
  | { readonly type: 'toggleCompare' }
  | { readonly type: 'openView'; readonly path: string; readonly layer: number }
  | { readonly type: 'openInstruction'; readonly layer: number }
  | { readonly type: 'scrollView'; readonly delta: number; readonly lines: number; readonly height: number }
  | { readonly type: 'closeView' }
  | { readonly type: 'message'; readonly text: string | undefined };

export type Action = NavigationAction | TreeAction | LineAction | ScreenAction;

const TOP = { index: 0, top: 0 } as const;

/** Each action to the part of the state it changes. */
export function explorerReducer(state: ExplorerState, action: Action): ExplorerState {
  switch (action.type) {
    case 'move':
    case 'nextPane':
    case 'showFinding':
    case 'revealed':
      return navigate(state, action);
    case 'toggleDir':
    case 'expandAll':
    case 'collapseAll':
    case 'toggleMode':
    case 'toggleKind':
    case 'toggleOnlyFlagged':
    case 'toggleAttributes':
    case 'toggleSort':
      return shapeTree(state, action);
    case 'startFilter':
    case 'filterText':
    case 'filterBackspace':
    case 'endFilter':
    case 'startPrompt':
    case 'promptText':
    case 'promptBackspace':
    case 'endPrompt':
      return editLine(state, action);
    case 'toggleHelp':
    case 'scrollHelp':
    case 'toggleCompare':
    case 'openView':
    case 'openInstruction':
    case 'scrollView':
    case 'closeView':
    case 'message':
      return changeScreen(state, action);
  }
}

function navigate(state: ExplorerState, action: NavigationAction): ExplorerState {
  switch (action.type) {
    case 'move': {
      const moved = moveCursor(state[action.pane], action.delta, action.count, action.height);
      // A new layer shows a new tree: start it at the top.
      const tree = action.pane === 'layers' && moved.index !== state.layers.index ? TOP : state.tree;
      return { ...state, [action.pane]: moved, tree: action.pane === 'tree' ? moved : tree };
    }
    case 'nextPane':
      return { ...state, focus: PANES[(PANES.indexOf(state.focus) + 1) % PANES.length] as Pane };
    case 'showFinding': {
      const layers = moveCursor({ index: action.layer, top: state.layers.top }, 0, action.layerCount, action.height);
      const expanded = withFolders(state.expanded, ancestorsOf(action.path));
      return { ...state, layers, expanded, focus: 'tree', reveal: action.path, filter: '', closedInFilter: NO_FOLDERS, onlyFlagged: false, hidden: new Set(), compare: false };
    }
    case 'revealed': {
      const { reveal: _, ...rest } = state;
      return { ...rest, tree: moveCursor({ index: action.index, top: state.tree.top }, 0, action.count, action.height) };
    }
  }
}

function shapeTree(state: ExplorerState, action: TreeAction): ExplorerState {
  switch (action.type) {
    case 'toggleDir':
      // With a filter kept, folders are open unless closed; otherwise closed unless opened.
      return state.filter ? { ...state, closedInFilter: toggleFolder(state.closedInFilter, action.path) } : { ...state, expanded: toggleFolder(state.expanded, action.path) };
    case 'expandAll':
      return { ...state, expanded: ALL_FOLDERS, closedInFilter: NO_FOLDERS };
    case 'collapseAll':
      // With a filter kept, folders are open unless closed: closing all closes every one.
      return { ...state, expanded: NO_FOLDERS, closedInFilter: state.filter ? ALL_FOLDERS : NO_FOLDERS, tree: TOP };
    case 'toggleMode':
      return { ...state, mode: state.mode === 'aggregated' ? 'changes' : 'aggregated', tree: TOP };
    case 'toggleKind':
      return { ...state, hidden: toggled(state.hidden, action.kind), tree: TOP };
    case 'toggleOnlyFlagged':
      return { ...state, onlyFlagged: !state.onlyFlagged, tree: TOP };
    case 'toggleAttributes':
      return { ...state, attributes: !state.attributes };
    case 'toggleSort':
      return { ...state, sort: state.sort === 'size' ? 'name' : 'size' };
  }
}

function editLine(state: ExplorerState, action: LineAction): ExplorerState {
  switch (action.type) {
    case 'startFilter':
      return { ...state, filtering: true, focus: 'tree' };
    case 'filterText':
      return { ...state, filter: state.filter + action.text, closedInFilter: NO_FOLDERS, tree: TOP };
    case 'filterBackspace':
      return { ...state, filter: state.filter.slice(0, -1), closedInFilter: NO_FOLDERS, tree: TOP };
    case 'endFilter':
      return { ...state, filtering: false, ...(action.keep ? {} : { filter: '', closedInFilter: NO_FOLDERS, tree: TOP }) };
    case 'startPrompt':
      return { ...state, prompt: { text: action.text, ...(action.note ? { note: action.note } : {}) } };
    case 'promptText':
      return state.prompt ? { ...state, prompt: { ...state.prompt, text: state.prompt.text + action.text } } : state;
    case 'promptBackspace':
      return state.prompt ? { ...state, prompt: { ...state.prompt, text: state.prompt.text.slice(0, -1) } } : state;
    case 'endPrompt': {
      const { prompt: _, ...rest } = state;
      return rest;
    }
  }
}

function changeScreen(state: ExplorerState, action: ScreenAction): ExplorerState {
  switch (action.type) {
    case 'toggleHelp':
      return { ...state, help: !state.help, helpTop: 0 };
    case 'scrollHelp':
      return { ...state, helpTop: clampTop(state.helpTop + action.delta, action.lines, action.height) };
    case 'toggleCompare':
      return { ...withoutView(state), compare: !state.compare };
    case 'openView':
      return { ...state, compare: false, view: { what: 'file', path: action.path, layer: action.layer, top: 0 } };
    case 'openInstruction':
      return { ...state, compare: false, view: { what: 'instruction', layer: action.layer, top: 0 } };
    case 'scrollView':
      return state.view ? { ...state, view: { ...state.view, top: clampTop(state.view.top + action.delta, action.lines, action.height) } } : state;
    case 'closeView':
      return withoutView(state);
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

/** A scroll position in `lines` shown `height` at a time: never past the last screenful, never above the top. */
const clampTop = (top: number, lines: number, height: number): number => Math.max(0, Math.min(Math.max(0, lines - height), top));

function toggled<T>(set: ReadonlySet<T>, item: T): ReadonlySet<T> {
  const next = new Set(set);
  if (!next.delete(item)) next.add(item);
  return next;
}

function withoutMessage(state: ExplorerState): ExplorerState {
  const { message: _, ...rest } = state;
  return rest;
}

function withoutView(state: ExplorerState): ExplorerState {
  const { view: _, ...rest } = state;
  return rest;
}
