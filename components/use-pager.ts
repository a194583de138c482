// What the pager shows for the current state: a file's contents (read from the image when it
// opens) or the selected layer's whole instruction, as a title and lines cut to the pane's width.
import { useMemo } from 'react';
import type { ExploreSession, ExploreSnapshot } from '../src/explore-session.js';
import { formatBytes, safe, wrap } from './format.js';
import { contentLines, instructionLines } from './pager-lines.js';
import type { Theme } from './theme.js';
import type { Pager } from './use-explorer-state.js';
import { useFileContent } from './use-file-content.js';

export interface PagerText {
  readonly title: string;
  readonly lines: readonly string[];
}

export function usePager(session: ExploreSession, view: Pager | undefined, data: ExploreSnapshot, width: number, theme: Theme): PagerText {
  const file = view?.what === 'file' ? view : undefined;
  const content = useFileContent(session, file);
  const instruction = view?.what === 'instruction' ? (data.layers[view.layer]?.instruction ?? '') : undefined;
  const { glyphs } = theme;
  return useMemo((): PagerText => {
    if (instruction !== undefined && view) {
      const lines = instruction ? instructionLines(instruction, width) : ['(no instruction recorded for this layer)'];
      return { title: `Layer ${view.layer}: the whole instruction ${glyphs.dot} Esc closes`, lines };
    }
    if (!file) return { title: '', lines: [] };
    const size = content !== undefined && !('error' in content) ? ` ${glyphs.dot} ${formatBytes(content.size)}${content.size > content.bytes.length ? `, first ${formatBytes(content.bytes.length)}` : ''}` : '';
    const title = `/${safe(file.path)} (layer ${file.layer}${size}) ${glyphs.dot} v or Esc closes`;
    const lines = content === undefined ? [`Reading the file from the image${glyphs.ellipsis}`] : 'error' in content ? wrap(safe(content.error), width) : contentLines(content, width, glyphs.ellipsis);
    return { title, lines };
  }, [instruction, view, file, content, width, glyphs]);
}
