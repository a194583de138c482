// The file tree rows for the selected layer: the view (cached per layer and mode, so stepping
// back to a layer is instant) flattened with the current toggles. Navigation reuses the rows.
import { useMemo, useRef } from 'react';
import type { FileTree } from '../src/model/file-tree.js';
import { flattenRows, type Row } from '../src/model/tree-rows.js';
import { buildTreeView, type TreeView } from '../src/model/tree-view.js';
import type { ExplorerState } from './use-explorer-state.js';

const NONE: ReadonlySet<string> = new Set();

export function useTreeRows(
  tree: FileTree | undefined,
  layer: number,
  flagged: ReadonlySet<string> | undefined,
  state: ExplorerState,
): { readonly view: TreeView | undefined; readonly rows: readonly Row[] } {
  const cache = useRef(new Map<string, TreeView>());
  const cacheOwner = useRef<{ tree?: FileTree; flagged?: ReadonlySet<string> }>({});
  const view = useMemo(() => {
    if (!tree || layer >= tree.layerCount) return undefined;
    if (cacheOwner.current.tree !== tree || cacheOwner.current.flagged !== flagged) {
      cache.current.clear();
      cacheOwner.current = { tree, ...(flagged ? { flagged } : {}) };
    }
    const key = `${layer}:${state.mode}`;
    let built = cache.current.get(key);
    if (!built) {
      built = buildTreeView(tree, layer, state.mode, flagged ?? NONE);
      cache.current.set(key, built);
    }
    return built;
  }, [tree, layer, state.mode, flagged]);
  const rows = useMemo(
    () =>
      view
        ? flattenRows(view, {
            expanded: state.expanded,
            sort: state.sort,
            hideUnchanged: state.hideUnchanged,
            onlyFlagged: state.onlyFlagged,
            filter: state.filter,
          })
        : [],
    [view, state.expanded, state.sort, state.hideUnchanged, state.onlyFlagged, state.filter],
  );
  return { view, rows };
}
