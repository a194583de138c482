// What the removable figures are called on every surface (the Markdown summary, the explorer's
// summary, its help), so a figure quoted from one is found by the same words in another.
// Both are split at the end of the base image (src/analysis/base-split.ts).

/** Your own layers' removable bytes: flagged final-tree files that an edit of your Dockerfile takes out. */
export const REMOVABLE_OWN = 'Removable by editing your Dockerfile';
/** The base layers' flagged final-tree files: only another base removes them. */
export const FLAGGED_BASE = 'Flagged files in the base layers';
