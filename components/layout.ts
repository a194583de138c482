// The one layout value of a frame, worked out from the terminal size: what each pane gets (rows
// and columns). Rendering reads it, and so does the mouse hit-test, so they cannot disagree; every
// pane draws exactly its rows, each line cut to its width, so the frame is the terminal's size.

import type { Pane } from './use-explorer-state.js';

export const MIN_COLUMNS = 70;
export const MIN_ROWS = 16;

/** Columns the tree needs at least beside its names: marker, folder glyph, flag and size. */
const TREE_MIN = 36;
const LEFT_MIN = 34;

export interface Layout {
  readonly columns: number;
  readonly rows: number;
  readonly tooSmall: boolean;
  readonly left: { readonly width: number };
  /** The right pane (tree, file viewer, comparison) starts at column `x` (from 0). */
  readonly right: { readonly x: number; readonly width: number };
  /** Rows of each left pane, title included, top to bottom. */
  readonly layers: number;
  readonly details: number;
  readonly findings: number;
  /** List rows (title excluded) the right pane shows. */
  readonly tree: number;
  /** Rows above the status line. */
  readonly body: number;
}

export interface LayoutNeeds {
  readonly layerCount: number;
  /** Columns the left pane's widest line wants (layer rows, summary, finding titles). */
  readonly leftWant: number;
  /** The tree shows attribute columns: it gets every column the left pane can spare. */
  readonly attributes?: boolean;
  /** Rows the status bar takes (1, or 2 for a prompt with a note). */
  readonly statusRows?: number;
  /** Rows the selected layer's details want at a width, given at most `cap`. */
  readonly detailsWant?: (width: number, cap: number) => number;
}

export function computeLayout(columns: number, rows: number, needs: LayoutNeeds): Layout {
  const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
  const body = Math.max(1, rows - (needs.statusRows ?? 1));
  // The tree keeps at least TREE_MIN columns and 45 % of a wide screen; the left pane takes what
  // its content wants of the rest, never less than LEFT_MIN.
  const leftMax = Math.max(LEFT_MIN, columns - 1 - Math.max(TREE_MIN, Math.floor(columns * 0.45)));
  const leftWidth = needs.attributes ? LEFT_MIN : Math.max(LEFT_MIN, Math.min(leftMax, needs.leftWant));
  const layers = 1 + Math.max(3, Math.min(needs.layerCount, Math.floor(body * 0.35)));
  // The details get up to a share of the height; what they do not use goes to the findings.
  const detailsCap = body >= 36 ? 10 : body >= 22 ? 6 : 4;
  const details = Math.max(2, Math.min(detailsCap, needs.detailsWant?.(leftWidth, detailsCap) ?? detailsCap));
  const findings = Math.max(1, body - layers - details);
  return {
    columns,
    rows,
    tooSmall,
    left: { width: leftWidth },
    right: { x: leftWidth + 1, width: Math.max(1, columns - leftWidth - 1) },
    layers,
    details,
    findings,
    tree: Math.max(1, body - 1),
    body,
  };
}

/** The pane drawn at a terminal cell (from 1, as mouse reports count), or undefined (the details, the status line). */
export function paneAt(layout: Layout, column: number, row: number): Pane | undefined {
  if (row > layout.body) return undefined;
  if (column > layout.right.x) return 'tree';
  if (row <= layout.layers) return 'layers';
  if (row <= layout.layers + layout.details) return undefined;
  return 'findings';
}
