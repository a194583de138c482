// What every node of one view shows, as arrays by ordinal (tree-table.ts), from one pass over the
// view: what a filter keeps, and how many rows an all-open folder holds, are then loops over
// arrays rather than walks over 200,000 view nodes. The pass runs a slice at a time (step), so
// the explorer can do it while idle and the first filter keystroke finds it done.

import type { TreeView, ViewKind, ViewNode } from './tree-view.js';

/** Bits of `flags`: the node is in the view, has children in it, is flagged; its kind above them. */
export const IN_VIEW = 1;
export const HAS_CHILDREN = 2;
export const FLAGGED = 4;
const KIND_SHIFT = 3;
export const KINDS: readonly ViewKind[] = ['unchanged', 'added', 'modified', 'removed'];
export const kindOf = (flags: number): ViewKind => KINDS[flags >> KIND_SHIFT] as ViewKind;

export interface ViewFacts {
  /** Per ordinal: the bits above. 0: not in the view. */
  readonly flags: Uint8Array;
  /** Per ordinal: the node's size as the view shows it. */
  readonly size: Float64Array;
  /** Per ordinal: view nodes below the node (its rows when every folder at and below it is open). */
  readonly below: Int32Array;
}

/** One pass over a view, a slice at a time. */
export interface FactsPass {
  /** Goes through up to `budget` more nodes; the facts once the whole view is done. */
  step(budget: number): ViewFacts | undefined;
}

/** A folder being gone through: its ordinal, its children, the next one to look at. */
interface Frame {
  readonly ordinal: number;
  readonly children: readonly ViewNode[];
  next: number;
}

export function factsPass(view: TreeView): FactsPass {
  const count = view.table.nodes.length;
  const facts: ViewFacts = { flags: new Uint8Array(count), size: new Float64Array(count), below: new Int32Array(count) };
  const { flags, size, below } = facts;
  flags[0] = IN_VIEW;
  size[0] = view.root.size;
  const rootChildren = view.childrenOnce(view.root);
  if (rootChildren.length > 0) flags[0] |= HAS_CHILDREN;
  // Folders being gone through, innermost last: a stack, not recursion (an image decides the depth).
  const frames: Frame[] = [{ ordinal: 0, children: rootChildren, next: 0 }];
  return {
    step(budget: number): ViewFacts | undefined {
      for (let done = 0; frames.length > 0 && done < budget; done++) {
        const frame = frames[frames.length - 1] as Frame;
        const child = frame.children[frame.next++];
        if (!child) {
          frames.pop();
          const parent = frames[frames.length - 1];
          if (parent) below[parent.ordinal] = (below[parent.ordinal] as number) + 1 + (below[frame.ordinal] as number);
          continue;
        }
        const ordinal = view.ordinal(child);
        const children = view.childrenOnce(child);
        flags[ordinal] = IN_VIEW | (children.length > 0 ? HAS_CHILDREN : 0) | (child.flagged ? FLAGGED : 0) | (KINDS.indexOf(child.kind) << KIND_SHIFT);
        size[ordinal] = child.size;
        if (children.length > 0) frames.push({ ordinal, children, next: 0 });
        else below[frame.ordinal] = (below[frame.ordinal] as number) + 1;
      }
      return frames.length === 0 ? facts : undefined;
    },
  };
}

/** The whole pass at once. */
export function viewFacts(view: TreeView): ViewFacts {
  return factsPass(view).step(Number.POSITIVE_INFINITY) as ViewFacts;
}
