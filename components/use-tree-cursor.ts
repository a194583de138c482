// Keeps the tree cursor on its path while the rows under it change without the user asking:
// a finding's path once its row exists (reveal), and the selected path when the tree is rebuilt
// as more layers are placed (loading) or when the final analysis replaces it. A jump made while
// layers are still being placed survives the rebuilds that follow.
import { useEffect, useRef, type Dispatch } from 'react';
import type { RowList } from '../src/model/row-list.js';
import type { TreeIndex } from '../src/model/tree-view.js';
import type { Action, ExplorerState } from './use-explorer-state.js';

export interface TreeCursorInput {
  readonly rows: RowList;
  /** The tree the rows come from: a new one means a rebuild. */
  readonly index: TreeIndex | undefined;
  readonly layer: number;
  readonly state: ExplorerState;
  readonly dispatch: Dispatch<Action>;
  readonly height: number;
}

export function useTreeCursor({ rows, index, layer, state, dispatch, height }: TreeCursorInput): void {
  const last = useRef<{ index: TreeIndex | undefined; layer: number; path: string | undefined }>({ index, layer, path: undefined });
  useEffect(() => {
    if (state.reveal !== undefined) {
      const at = rows.indexOf(state.reveal);
      if (at >= 0) dispatch({ type: 'revealed', index: at, count: rows.length, height });
      return;
    }
    const before = last.current;
    const selected = rows.at(state.tree.index)?.node.path;
    if (before.index !== index && before.layer === layer && before.path !== undefined && selected !== before.path) {
      const at = rows.indexOf(before.path);
      if (at >= 0) {
        last.current = { index, layer, path: before.path };
        return dispatch({ type: 'revealed', index: at, count: rows.length, height });
      }
    }
    last.current = { index, layer, path: selected };
  });
}
