// `e`: open the export prompt with the suggested path (or say why not yet), and write the report
// to the path the user confirms, saying where it went or why it could not.
import { useMemo } from 'react';
import type { ImageAnalysis } from '../src/analysis/analyse.js';
import type { Action } from './use-explorer-state.js';

/** Writing the report: where it would go (and why there), and writing it to the path the user gave. */
export interface ReportExport {
  readonly suggest: () => { readonly path: string; readonly note?: string };
  /** Resolves with the path written; rejects with an error saying why not. */
  readonly write: (path: string) => Promise<string>;
}

export function useReportExport(exportReport: ReportExport, analysis: ImageAnalysis | undefined, dispatch: (action: Action) => void) {
  return useMemo(
    () => ({
      startExport: (): void => {
        if (!analysis) return dispatch({ type: 'message', text: 'the report can be exported once the whole image is read' });
        const { path, note } = exportReport.suggest();
        dispatch({ type: 'startPrompt', text: path, ...(note ? { note } : {}) });
      },
      exportTo: (path: string): void => {
        if (path.trim() === '') return dispatch({ type: 'message', text: 'export cancelled: no path given' });
        exportReport.write(path.trim()).then(
          (written) => dispatch({ type: 'message', text: `report written to ${written}` }),
          (error: unknown) => dispatch({ type: 'message', text: `export failed: ${error instanceof Error ? error.message : String(error)} (e to try another path)` }),
        );
      },
    }),
    [exportReport, analysis, dispatch],
  );
}
