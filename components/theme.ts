// Colours and markers for the explorer, in one place. Every state also has a text marker, so the
// screen reads the same with NO_COLOR (https://no-color.org) or on a monochrome terminal.

import type { ViewKind } from '../src/model/tree-view.js';

/** Props to spread on Ink's Text: a colour, or nothing when colour is off. */
export type Style = { readonly color?: string };

export interface Theme {
  readonly kind: (kind: ViewKind) => Style;
  readonly accent: Style;
  readonly muted: Style;
  readonly warning: Style;
  readonly marker: (kind: ViewKind) => string;
  readonly flagMarker: string;
}

const KIND_COLOURS: Readonly<Record<ViewKind, string | undefined>> = {
  added: 'green',
  modified: 'yellow',
  removed: 'red',
  unchanged: undefined,
};

const MARKERS: Readonly<Record<ViewKind, string>> = { added: '+', modified: '~', removed: '-', unchanged: ' ' };

export function createTheme(options: { readonly colour: boolean }): Theme {
  const c = (colour: string | undefined): Style => (options.colour && colour ? { color: colour } : {});
  return {
    kind: (kind) => c(KIND_COLOURS[kind]),
    accent: c('cyan'),
    muted: c('gray'),
    warning: c('magenta'),
    marker: (kind) => MARKERS[kind],
    flagMarker: '!',
  };
}

/** Colour is on unless NO_COLOR is set (to anything non-empty) or the terminal says it has none. */
export function colourWanted(env: Readonly<Record<string, string | undefined>>): boolean {
  return !env.NO_COLOR && env.TERM !== 'dumb';
}
