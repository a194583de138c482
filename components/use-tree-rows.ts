// The file tree rows for the selected layer: the view (lazy, cached per layer and mode with the
// directories it has worked out, over one index per tree) as a list of rows made on request,
// with the current toggles. Navigation reuses the rows; the sort reuses their counts. While the
// explorer is idle, the view's facts (view-facts.ts) are worked out a slice at a time, so a
// filter or ] on a 200,000-file view costs a loop over arrays, not a walk over the view.
import { useEffect, useMemo, useRef } from 'react';
import { rowCounts, rowList, type RowList } from '../src/model/row-list.js';
import { lowerNames } from '../src/model/tree-table.js';
import { createRowMemo, keptNodes } from '../src/model/tree-rows.js';
import { createTreeView, type TreeIndex, type TreeView } from '../src/model/tree-view.js';
import { factsPass, type FactsPass, type ViewFacts } from '../src/model/view-facts.js';
import type { ExplorerState } from './use-explorer-state.js';

/** A view with its facts, worked out while idle or when first needed. */
interface CachedView {
  readonly view: TreeView;
  readonly pass: FactsPass;
  facts?: ViewFacts;
}

/** How long one idle slice of the facts pass may hold the event loop (a key waits at most this). */
const SLICE_MS = 8;
/** Nodes between clock checks within a slice. */
const SLICE_NODES = 500;

export function useTreeRows(
  index: TreeIndex | undefined,
  layer: number,
  state: ExplorerState,
): { readonly view: TreeView | undefined; readonly rows: RowList } {
  const cache = useRef(new Map<string, CachedView>());
  const cacheOwner = useRef<TreeIndex | undefined>(undefined);
  // Size-sorted children of the views' nodes: they live as long as the views do.
  const rowMemo = useRef(createRowMemo());
  const cached = useMemo(() => {
    if (!index || layer >= index.tree.layerCount) return undefined;
    if (cacheOwner.current !== index) {
      cache.current.clear();
      rowMemo.current = createRowMemo();
      cacheOwner.current = index;
    }
    const key = `${layer}:${state.mode}`;
    let made = cache.current.get(key);
    if (!made) {
      const view = createTreeView(index, layer, state.mode);
      made = { view, pass: factsPass(view) };
      cache.current.set(key, made);
    }
    return made;
  }, [index, layer, state.mode]);
  useIdleFacts(cached);
  const view = cached?.view;
  const facts = useMemo(() => (cached ? () => factsOf(cached) : undefined), [cached]);
  // Which paths a filter or toggle keeps is worked out once per view and toggles; moving and
  // opening folders only re-flatten.
  const kept = useMemo(
    () => (cached && facts ? keptNodes(cached.view, { hidden: state.hidden, onlyFlagged: state.onlyFlagged, filter: state.filter }, facts) : undefined),
    [cached, facts, state.hidden, state.onlyFlagged, state.filter],
  );
  const counts = useMemo(
    () => (view && facts ? rowCounts(view, { expanded: state.expanded, closedInFilter: state.closedInFilter, filter: state.filter }, kept, facts) : undefined),
    [view, facts, kept, state.expanded, state.closedInFilter, state.filter],
  );
  const rows = useMemo(() => (counts ? rowList(counts, state.sort, rowMemo.current) : NO_ROWS), [counts, state.sort]);
  return { view, rows };
}

/** The view's facts: the rest of the pass, now, if idle time has not finished it. */
function factsOf(cached: CachedView): ViewFacts {
  return (cached.facts ??= cached.pass.step(Number.POSITIVE_INFINITY) as ViewFacts);
}

/** Works out the shown view's facts and its tree's lower-cased names in slices, between frames and keys. */
function useIdleFacts(cached: CachedView | undefined): void {
  useEffect(() => {
    if (!cached || cached.facts) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const slice = (): void => {
      const until = performance.now() + SLICE_MS;
      while (!cached.facts && performance.now() < until) {
        const done = cached.pass.step(SLICE_NODES);
        if (done) cached.facts = done;
      }
      timer = cached.facts ? setTimeout(() => lowerNames(cached.view.table), 0) : setTimeout(slice, 0);
    };
    timer = setTimeout(slice, 0);
    return () => clearTimeout(timer);
  }, [cached]);
}

const NO_ROWS: RowList = { length: 0, at: () => undefined, slice: () => [], indexOf: () => -1, parentOf: () => undefined };
