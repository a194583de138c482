// The file tree rows for the selected layer: the view (lazy, cached per layer and mode with the
// directories it has worked out, over one index per tree) as a list of rows made on request,
// with the current toggles. Navigation reuses the rows; the sort reuses their counts.
import { useMemo, useRef } from 'react';
import { rowCounts, rowList, type RowList } from '../src/model/row-list.js';
import { createRowMemo, keptNodes } from '../src/model/tree-rows.js';
import { createTreeView, type TreeIndex, type TreeView } from '../src/model/tree-view.js';
import type { ExplorerState } from './use-explorer-state.js';

export function useTreeRows(
  index: TreeIndex | undefined,
  layer: number,
  state: ExplorerState,
): { readonly view: TreeView | undefined; readonly rows: RowList } {
  const cache = useRef(new Map<string, TreeView>());
  const cacheOwner = useRef<TreeIndex | undefined>(undefined);
  // Size-sorted children of the views' nodes: they live as long as the views do.
  const rowMemo = useRef(createRowMemo());
  const view = useMemo(() => {
    if (!index || layer >= index.tree.layerCount) return undefined;
    if (cacheOwner.current !== index) {
      cache.current.clear();
      rowMemo.current = createRowMemo();
      cacheOwner.current = index;
    }
    const key = `${layer}:${state.mode}`;
    let made = cache.current.get(key);
    if (!made) {
      made = createTreeView(index, layer, state.mode);
      cache.current.set(key, made);
    }
    return made;
  }, [index, layer, state.mode]);
  // Which paths a filter or toggle keeps is worked out once per view and toggles; moving and
  // opening folders only re-flatten.
  const kept = useMemo(
    () => (view ? keptNodes(view, { hidden: state.hidden, onlyFlagged: state.onlyFlagged, filter: state.filter }) : undefined),
    [view, state.hidden, state.onlyFlagged, state.filter],
  );
  const counts = useMemo(
    () => (view ? rowCounts(view, { expanded: state.expanded, closedInFilter: state.closedInFilter, filter: state.filter }, kept) : undefined),
    [view, kept, state.expanded, state.closedInFilter, state.filter],
  );
  const rows = useMemo(() => (counts ? rowList(counts, state.sort, rowMemo.current) : NO_ROWS), [counts, state.sort]);
  return { view, rows };
}

const NO_ROWS: RowList = { length: 0, at: () => undefined, slice: () => [], indexOf: () => -1, parentOf: () => undefined };
