import { describe, expect, it } from 'vitest';
import { explorerReducer, initialState, moveCursor, type Action, type ExplorerState } from '../../components/use-explorer-state.js';
import { keystrokes, NO_KEY } from '../../components/use-explorer-keys.js';
import { contentLines, hexBytesPerLine } from '../../components/pager-lines.js';
import { statusHints } from '../../components/keymap.js';

const run = (actions: Action[], state: ExplorerState = initialState(0)): ExplorerState => actions.reduce(explorerReducer, state);

describe('moving a cursor through a window', () => {
  it('scrolls just enough to keep the cursor in view, and clamps at both ends', () => {
    expect(moveCursor({ index: 0, top: 0 }, 1, 100, 10)).toEqual({ index: 1, top: 0 });
    expect(moveCursor({ index: 9, top: 0 }, 1, 100, 10)).toEqual({ index: 10, top: 1 });
    expect(moveCursor({ index: 10, top: 1 }, -5, 100, 10)).toEqual({ index: 5, top: 1 });
    expect(moveCursor({ index: 5, top: 1 }, -50, 100, 10)).toEqual({ index: 0, top: 0 });
    expect(moveCursor({ index: 0, top: 0 }, 1000, 100, 10)).toEqual({ index: 99, top: 90 });
    expect(moveCursor({ index: 3, top: 0 }, 1, 0, 10)).toEqual({ index: 0, top: 0 });
  });

  it('pulls the window back when the list shrinks under it', () => {
    expect(moveCursor({ index: 95, top: 90 }, 0, 20, 10)).toEqual({ index: 19, top: 10 });
  });
});

describe('the explorer reducer', () => {
  it('cycles panes with Tab', () => {
    const state = run([{ type: 'nextPane' }, { type: 'nextPane' }, { type: 'nextPane' }]);
    expect(state.focus).toBe('layers');
    expect(run([{ type: 'nextPane' }]).focus).toBe('tree');
  });

  it('starts a new layer’s tree at the top', () => {
    const state = run([
      { type: 'move', pane: 'tree', delta: 7, count: 50, height: 10 },
      { type: 'move', pane: 'layers', delta: 1, count: 3, height: 3 },
    ]);
    expect(state.layers.index).toBe(1);
    expect(state.tree).toEqual({ index: 0, top: 0 });
  });

  it('expands and collapses a directory, and collapses all', () => {
    const open = run([{ type: 'toggleDir', path: 'usr' }, { type: 'toggleDir', path: 'usr/lib' }]);
    expect(open.expanded).toEqual({ all: false, except: new Set(['usr', 'usr/lib']) });
    expect(run([{ type: 'toggleDir', path: 'usr' }], open).expanded).toEqual({ all: false, except: new Set(['usr/lib']) });
    expect(run([{ type: 'collapseAll' }], open).expanded).toEqual({ all: false, except: new Set() });
  });

  it('opens every folder by saying so, and then closes one by one the folders toggled', () => {
    const all = run([{ type: 'toggleDir', path: 'usr' }, { type: 'expandAll' }]);
    expect(all.expanded).toEqual({ all: true, except: new Set() });
    const closed = run([{ type: 'toggleDir', path: 'var' }, { type: 'toggleDir', path: 'etc' }, { type: 'toggleDir', path: 'var' }], all);
    // Open: every folder but etc (var was closed and opened again).
    expect(closed.expanded).toEqual({ all: true, except: new Set(['etc']) });
    // A finding under etc opens it again, and leaves the rest open.
    expect(run([{ type: 'showFinding', layer: 0, path: 'etc/x/y', layerCount: 1, height: 3 }], closed).expanded).toEqual({ all: true, except: new Set() });
    expect(run([{ type: 'collapseAll' }], closed).expanded).toEqual({ all: false, except: new Set() });
  });

  it('toggles the mode, each kind of change, only-flagged, the attributes and the sort order', () => {
    const state = run([{ type: 'toggleMode' }, { type: 'toggleKind', kind: 'unchanged' }, { type: 'toggleKind', kind: 'added' }, { type: 'toggleKind', kind: 'added' }, { type: 'toggleOnlyFlagged' }, { type: 'toggleAttributes' }, { type: 'toggleSort' }]);
    expect(state).toMatchObject({ mode: 'changes', onlyFlagged: true, attributes: true, sort: 'name' });
    expect([...state.hidden]).toEqual(['unchanged']);
    expect(initialState(0).sort).toBe('size');
  });

  it('types a filter, keeps it with Enter, clears it with Esc', () => {
    const typed = run([{ type: 'startFilter' }, { type: 'filterText', text: 'ap' }, { type: 'filterText', text: 'tx' }, { type: 'filterBackspace' }]);
    expect(typed).toMatchObject({ filtering: true, filter: 'apt', focus: 'tree' });
    expect(run([{ type: 'endFilter', keep: true }], typed)).toMatchObject({ filtering: false, filter: 'apt' });
    expect(run([{ type: 'endFilter', keep: false }], typed)).toMatchObject({ filtering: false, filter: '' });
  });

  it('jumps to a finding: selects its layer, opens the folders above its path, and asks to reveal it', () => {
    const state = run([
      { type: 'toggleOnlyFlagged' },
      { type: 'showFinding', layer: 2, path: 'var/lib/apt/lists/x', layerCount: 5, height: 3 },
    ]);
    expect(state.layers.index).toBe(2);
    expect([...state.expanded.except].sort()).toEqual(['var', 'var/lib', 'var/lib/apt', 'var/lib/apt/lists']);
    expect(state.expanded.all).toBe(false);
    expect(state).toMatchObject({ focus: 'tree', reveal: 'var/lib/apt/lists/x', onlyFlagged: false });
    const revealed = run([{ type: 'revealed', index: 30, count: 40, height: 10 }], state);
    expect(revealed.reveal).toBeUndefined();
    expect(revealed.tree).toEqual({ index: 30, top: 21 });
  });

  it('opens and closes folders with a filter kept: open unless closed, and closing all closes each', () => {
    const filtered = run([{ type: 'startFilter' }, { type: 'filterText', text: 'apt' }, { type: 'endFilter', keep: true }]);
    const closed = run([{ type: 'toggleDir', path: 'var' }], filtered);
    expect(closed.closedInFilter).toEqual({ all: false, except: new Set(['var']) });
    expect(closed.expanded).toEqual({ all: false, except: new Set() });
    expect(run([{ type: 'toggleDir', path: 'var' }], closed).closedInFilter).toEqual({ all: false, except: new Set() });
    // Closing all closes every folder, and then one opens again when toggled.
    const allClosed = run([{ type: 'collapseAll' }], filtered);
    expect(allClosed.closedInFilter).toEqual({ all: true, except: new Set() });
    expect(run([{ type: 'toggleDir', path: 'var' }], allClosed).closedInFilter).toEqual({ all: true, except: new Set(['var']) });
    // A new filter text starts with everything open again.
    expect(run([{ type: 'filterText', text: 'x' }], closed).closedInFilter).toEqual({ all: false, except: new Set() });
  });

  it("keeps the export prompt's path as typed, and drops it when the prompt ends", () => {
    const typed = run([{ type: 'startPrompt', text: 'r.md', note: '/proc is not writable' }, { type: 'promptBackspace' }, { type: 'promptText', text: 'x' }]);
    expect(typed.prompt).toEqual({ text: 'r.mx', note: '/proc is not writable' });
    expect(run([{ type: 'endPrompt' }], typed).prompt).toBeUndefined();
  });
});

describe('the theme', () => {
  it('colours each state, and nothing at all when colour is off, keeping the text markers', async () => {
    const { createTheme, colourWanted } = await import('../../components/theme.js');
    const on = createTheme({ colour: true });
    const off = createTheme({ colour: false });
    expect([on.kind('added'), on.kind('modified'), on.kind('removed'), on.kind('unchanged')]).toEqual([{ color: 'green' }, { color: 'yellow' }, { color: 'red' }, {}]);
    expect([off.kind('added'), off.accent, off.muted]).toEqual([{}, {}, {}]);
    expect(['added', 'modified', 'removed', 'unchanged'].map((kind) => off.marker(kind as 'added'))).toEqual(['+', '~', '-', ' ']);
    expect(colourWanted({ NO_COLOR: '1' })).toBe(false);
    expect(colourWanted({ TERM: 'dumb' })).toBe(false);
    expect(colourWanted({ TERM: 'xterm-256color' })).toBe(true);
    expect(colourWanted({ TERM: 'xterm-mono' })).toBe(false);
    expect(colourWanted({ TERM: 'vt100-m' })).toBe(false);
  });

  it('uses ASCII glyphs unless the locale is UTF-8, as the C library reads LC_ALL, LC_CTYPE, LANG', async () => {
    const { createTheme, unicodeWanted } = await import('../../components/theme.js');
    expect(unicodeWanted({ LANG: 'C' }, 'linux')).toBe(false);
    expect(unicodeWanted({}, 'linux')).toBe(false);
    expect(unicodeWanted({ LANG: 'en_US.UTF-8' }, 'linux')).toBe(true);
    expect(unicodeWanted({ LANG: 'en_US.UTF-8', LC_ALL: 'C' }, 'linux')).toBe(false);
    expect(unicodeWanted({ LC_CTYPE: 'C.utf8' }, 'linux')).toBe(true);
    expect(unicodeWanted({}, 'win32')).toBe(true);
    const glyphs = Object.values(createTheme({ colour: false, unicode: false }).glyphs).join('');
    expect(glyphs).toMatch(/^[\x20-\x7e]*$/);
  });
});

describe('keystrokes in one read', () => {
  const plain = { ...NO_KEY };
  it('splits plain characters into one keystroke each, with Tab, Enter, Backspace and Ctrl named', () => {
    expect(keystrokes('jj\t\r\u007f\u0003G', plain)).toEqual([
      ['j', NO_KEY],
      ['j', NO_KEY],
      ['', { ...NO_KEY, tab: true }],
      ['', { ...NO_KEY, return: true }],
      ['', { ...NO_KEY, backspace: true }],
      ['c', { ...NO_KEY, ctrl: true }],
      ['G', { ...NO_KEY, shift: true }],
    ]);
  });

  it('leaves single keys and escape sequences as Ink parsed them', () => {
    const arrow = { ...NO_KEY, downArrow: true };
    expect(keystrokes('', arrow)).toEqual([['', arrow]]);
    expect(keystrokes('q', plain)).toEqual([['q', plain]]);
    expect(keystrokes('\u001b[B', plain)).toEqual([['\u001b[B', plain]]);
  });
});

describe('the status bar hints', () => {
  it('fit the width, in table order, and always keep help and quit', () => {
    expect(statusHints()).toBe('Tab pane  Enter open  a changes/all  u unchanged  w flagged  / filter  s sort  v view  c compare  e export  ? help  q quit');
    // 40 columns: help and quit (14), then Tab (+10) and Enter (+12); the next would pass 40.
    expect(statusHints(40)).toBe('Tab pane  Enter open  ? help  q quit');
    expect(statusHints(5)).toBe('? help  q quit');
  });
});

describe('the file viewer state', () => {
  it('opens on a file in place of the comparison, scrolls within its lines, and closes', () => {
    const opened = run([{ type: 'toggleCompare' }, { type: 'openView', path: 'etc/motd', layer: 2 }]);
    expect(opened.compare).toBe(false);
    expect(opened.view).toEqual({ what: 'file', path: 'etc/motd', layer: 2, top: 0 });
    // 100 lines in a 30-line window: at most 70 down, never above the top.
    expect(run([{ type: 'scrollView', delta: 500, lines: 100, height: 30 }], opened).view?.top).toBe(70);
    expect(run([{ type: 'scrollView', delta: -5, lines: 100, height: 30 }], opened).view?.top).toBe(0);
    expect(run([{ type: 'scrollView', delta: 10, lines: 5, height: 30 }], opened).view?.top).toBe(0);
    expect(run([{ type: 'closeView' }], opened).view).toBeUndefined();
  });
});

describe('the file viewer lines', () => {
  it('shows text as lines with control characters made visible, and anything else as hex', () => {
    expect(contentLines({ bytes: Buffer.from('a\tb\nc\u001b[31md\n'), size: 10 })).toEqual(['a    b', 'c\\x1b[31md', '']);
    expect(contentLines({ bytes: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]), size: 6 })).toEqual([`00000000  ${'7f 45 4c 46 00 01'.padEnd(47)}  .ELF..`]);
    expect(contentLines({ bytes: Buffer.alloc(0), size: 0 })).toEqual(['(empty file)']);
  });

  it('fits the hex dump to a narrow pane: 16 bytes a line in 75 columns, 8 in 43, else 4', () => {
    expect([hexBytesPerLine(80), hexBytesPerLine(75), hexBytesPerLine(74), hexBytesPerLine(43), hexBytesPerLine(35)]).toEqual([16, 16, 8, 8, 4]);
    const lines = contentLines({ bytes: Buffer.alloc(40, 0xff), size: 40 }, 35);
    expect(lines[0]).toBe(`00000000  ff ff ff ff  ....`);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(35);
  });
});
