// The one layout value of a frame, worked out from the terminal size: what each pane gets (rows
// and columns). Rendering reads it, and so does the mouse hit-test, so they cannot disagree; every
// pane draws exactly its rows, each line cut to its width, so the frame is the terminal's size.

import type { Pane } from './use-explorer-state.js';

export const MIN_COLUMNS = 70;
export const MIN_ROWS = 16;

/** Columns the tree needs at least beside its names: marker, folder glyph, flag and size. */
const TREE_MIN = 36;
const LEFT_MIN = 34;
/** With the attribute columns on, the left pane gives way down to this, so they fit beside readable names. */
const LEFT_NARROW = 25;
/** A tree row's name cell (cursor, kind marker, indentation, folder glyph, name) keeps at least this with attributes on. */
const NAME_MIN = 17;
/** A tree row's flag (2) and size (9) columns. */
const FLAG_AND_SIZE = 11;

/** dive's attribute columns, in the order drawn: `-rwxr-xr-x  0:0  2024-05-01 12:30`. */
export type AttributeColumn = 'mode' | 'owner' | 'time';
/** Richest first: the time goes first when the width runs short, then the owner; the mode stays. */
const ATTRIBUTE_SETS: readonly (readonly AttributeColumn[])[] = [['mode', 'owner', 'time'], ['mode', 'owner'], ['mode']];
export const MODE_WIDTH = 10;
export const TIME_WIDTH = 16;

/** The tree's attribute columns this frame: which show, the owner column's width, and their columns in all (a space before each). */
export interface AttributeLayout {
  readonly columns: readonly AttributeColumn[];
  readonly ownerWidth: number;
  readonly width: number;
}

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
  /** The tree's attribute columns (none while they are off). */
  readonly attributes: AttributeLayout;
}

export interface LayoutNeeds {
  readonly layerCount: number;
  /** Columns the left pane's widest line wants (layer rows, summary, finding titles). */
  readonly leftWant: number;
  /** The tree shows attribute columns: it gets every column the left pane can spare. */
  readonly attributes?: boolean;
  /** Columns the widest `uid:gid` of the tree takes. */
  readonly ownerWidth?: number;
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
  const attributes = needs.attributes ? attributeLayout(columns, needs.ownerWidth ?? 0) : { columns: [], ownerWidth: 0, width: 0 };
  const leftWidth = needs.attributes ? attributeLeft(columns, attributes.width) : Math.max(LEFT_MIN, Math.min(leftMax, needs.leftWant));
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
    attributes,
  };
}

/** The richest attribute columns that leave the tree's names NAME_MIN columns with the left pane at least LEFT_NARROW. */
function attributeLayout(columns: number, ownerWidth: number): AttributeLayout {
  const widthOf = (set: readonly AttributeColumn[]): number =>
    set.reduce((sum, column) => sum + 1 + (column === 'mode' ? MODE_WIDTH : column === 'owner' ? ownerWidth : TIME_WIDTH), 0);
  const fits = (set: readonly AttributeColumn[]): boolean => attributeLeft(columns, widthOf(set)) + 1 + NAME_MIN + FLAG_AND_SIZE + widthOf(set) <= columns;
  const chosen = ATTRIBUTE_SETS.find(fits) ?? ['mode'];
  return { columns: chosen, ownerWidth, width: widthOf(chosen) };
}

/** The left pane beside attribute columns of `width`: LEFT_MIN where the names keep NAME_MIN, else what is left, down to LEFT_NARROW. */
function attributeLeft(columns: number, width: number): number {
  return Math.max(LEFT_NARROW, Math.min(LEFT_MIN, columns - 1 - NAME_MIN - FLAG_AND_SIZE - width));
}

/** The pane drawn at a terminal cell (from 1, as mouse reports count), or undefined (the details, the status line). */
export function paneAt(layout: Layout, column: number, row: number): Pane | undefined {
  if (row > layout.body) return undefined;
  if (column > layout.right.x) return 'tree';
  if (row <= layout.layers) return 'layers';
  if (row <= layout.layers + layout.details) return undefined;
  return 'findings';
}
