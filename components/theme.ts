// Colours, markers and glyphs for the explorer, in one place. Every state also has a text marker,
// so the screen reads the same with NO_COLOR (https://no-color.org) or on a monochrome terminal;
// where the locale is not UTF-8 (LANG=C), every glyph has an ASCII stand-in.

import type { ViewKind } from '../src/model/tree-view.js';

/** Props to spread on Ink's Text: a colour, or nothing when colour is off. */
export type Style = { readonly color?: string };

/** The non-letter characters the screen draws, so an ASCII terminal gets ASCII. */
export interface Glyphs {
  /** The row under the cursor. */
  readonly cursor: string;
  /** Before the focused pane's title. */
  readonly focus: string;
  readonly open: string;
  readonly closed: string;
  /** Link targets, and finding ranges (`L5→8`). */
  readonly arrow: string;
  /** "came from", in the stage comparison. */
  readonly from: string;
  readonly ellipsis: string;
  /** Between figures on one line. */
  readonly dot: string;
  /** On a folder holding flagged files. */
  readonly flaggedBelow: string;
  readonly times: string;
  /** The text cursor in the filter and prompt. */
  readonly caret: string;
  readonly border: 'round' | 'classic';
}

const UNICODE: Glyphs = { cursor: '›', focus: '»', open: '▾', closed: '▸', arrow: '→', from: '←', ellipsis: '…', dot: '·', flaggedBelow: '·', times: '×', caret: '▏', border: 'round' };
const ASCII: Glyphs = { cursor: '>', focus: '>', open: 'v', closed: '>', arrow: '->', from: '<-', ellipsis: '...', dot: '|', flaggedBelow: '.', times: 'x', caret: '_', border: 'classic' };

export interface Theme {
  readonly kind: (kind: ViewKind) => Style;
  readonly accent: Style;
  readonly muted: Style;
  readonly warning: Style;
  readonly marker: (kind: ViewKind) => string;
  readonly flagMarker: string;
  readonly glyphs: Glyphs;
}

const KIND_COLOURS: Readonly<Record<ViewKind, string | undefined>> = {
  added: 'green',
  modified: 'yellow',
  removed: 'red',
  unchanged: undefined,
};

const MARKERS: Readonly<Record<ViewKind, string>> = { added: '+', modified: '~', removed: '-', unchanged: ' ' };

export function createTheme(options: { readonly colour: boolean; readonly unicode?: boolean }): Theme {
  const c = (colour: string | undefined): Style => (options.colour && colour ? { color: colour } : {});
  return {
    kind: (kind) => c(KIND_COLOURS[kind]),
    accent: c('cyan'),
    muted: c('gray'),
    warning: c('magenta'),
    marker: (kind) => MARKERS[kind],
    flagMarker: '!',
    glyphs: options.unicode === false ? ASCII : UNICODE,
  };
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Colour is on unless NO_COLOR is set (to anything non-empty) or the terminal says it has none:
 * `dumb`, and terminfo's monochrome entries (`xterm-mono`, `vt100-m`, names ending `-mono` or `-m`).
 */
export function colourWanted(env: Env): boolean {
  const term = env.TERM ?? '';
  return !env.NO_COLOR && term !== 'dumb' && !/-(mono|m)$/.test(term);
}

/**
 * UTF-8 glyphs only when the locale says UTF-8, as the C library decides it: the first of LC_ALL,
 * LC_CTYPE, LANG that is set; none set is the "C" locale (ASCII). Windows terminals are UTF-8.
 */
export function unicodeWanted(env: Env, platform: string): boolean {
  if (platform === 'win32') return true;
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(locale);
}
