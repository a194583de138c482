// What the outer pass over an image archive hands the layout resolver: each member, read.

import type { LayerContents } from '../model/types.js';

/** What the outer pass learned about each archive member. */
export type ArchiveMember =
  | { readonly kind: 'layer'; readonly contents: LayerContents }
  | { readonly kind: 'json'; readonly text: string; readonly digest: string }
  | { readonly kind: 'unreadable'; readonly problem: string }
  | { readonly kind: 'other' };

export interface ArchiveMembers {
  readonly members: ReadonlyMap<string, ArchiveMember>;
  /** Symlinks and hardlinks between members (legacy layout stores a repeated layer once). */
  readonly links: ReadonlyMap<string, string>;
}
