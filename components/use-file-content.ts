// The file viewer's content: read from the session when the viewer opens on a file, kept while it
// stays open, and dropped when another file (or none) is shown. A read that comes back after the
// viewer moved on is ignored.
import { useEffect, useState } from 'react';
import type { FileContent } from '../src/archive/read-file-content.js';
import type { ExploreSession } from '../src/explore-session.js';

export type ViewedContent = FileContent | { readonly error: string } | undefined;

export function useFileContent(session: ExploreSession, view: { readonly path: string; readonly layer: number } | undefined): ViewedContent {
  const [content, setContent] = useState<ViewedContent>(undefined);
  const path = view?.path;
  const layer = view?.layer;
  useEffect(() => {
    setContent(undefined);
    if (path === undefined || layer === undefined) return;
    let current = true;
    session.readContent(layer, path).then(
      (read) => current && setContent(read ?? { error: `layer ${layer} has no regular file at /${path} (a link, or not read yet)` }),
      (error: unknown) => current && setContent({ error: `could not read it: ${error instanceof Error ? error.message : String(error)}` }),
    );
    return () => {
      current = false;
    };
  }, [session, path, layer]);
  return content;
}
