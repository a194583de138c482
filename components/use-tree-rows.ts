// The file tree rows for the selected layer: the view (lazy, cached per layer and mode with the
// directories it has worked out, over one index per tree) flattened with the current toggles.
// Navigation reuses the rows.
import { useMemo, useRef } from 'react';
import { createRowMemo, flattenRows, type Row } from '../src/model/tree-rows.js';
import { createTreeView, type TreeIndex, type TreeView } from '../src/model/tree-view.js';
import type { ExplorerState } from './use-explorer-state.js';

export function useTreeRows(
  index: TreeIndex | undefined,
  layer: number,
  state: ExplorerState,
): { readonly view: TreeView | undefined; readonly rows: readonly Row[] } {
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
  const rows = useMemo(
    () =>
      view
        ? flattenRows(view, {
            expanded: state.expanded,
            sort: state.sort,
            hideUnchanged: state.hideUnchanged,
            onlyFlagged: state.onlyFlagged,
            filter: state.filter,
          }, rowMemo.current)
        : [],
    [view, state.expanded, state.sort, state.hideUnchanged, state.onlyFlagged, state.filter],
  );
  return { view, rows };
}
