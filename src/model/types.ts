// The parsed image as plain readonly data: what every source becomes after the archive parser,
// and what the model, the analysis and the reports read.

export type EntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

/** One path in one layer's tar, after normalisation. Whiteouts are not entries. */
export interface Entry {
  /** Normalised: relative to the image root, no leading `./` or `/`, no trailing `/`. */
  readonly path: string;
  readonly type: EntryType;
  /** Bytes of content; 0 for everything but regular files (a hardlink's tar size is 0). */
  readonly size: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Symlink target as written, or a hardlink's target path (normalised). */
  readonly linkTarget?: string;
  /** Modification time from the tar header, in seconds since 1970 (shown by the explorer's attribute columns). */
  readonly mtime?: number;
  /** `xxh128:<hex>` of a regular file's content, when hashing is on (see src/archive/content-digest.ts). */
  readonly digest?: string;
}

/** A layer as its tar describes it. */
export interface LayerContents {
  /** Entries in archive order (duplicates resolved: the last one for a path wins). */
  readonly entries: readonly Entry[];
  /**
   * Entries the tar holds that extraction does not keep: an earlier copy of a path the same tar
   * writes again, and what lay under a path the same tar later turns into a non-directory. Their
   * bytes ship with the layer and are never seen. Absent when there are none.
   */
  readonly shadowed?: readonly Entry[];
  /** Paths removed from lower layers by `.wh.<name>` files. */
  readonly whiteouts: readonly string[];
  /** Directories whose lower contents are hidden by `.wh..wh..opq`. */
  readonly opaqueDirs: readonly string[];
  /**
   * dpkg's file lists this layer writes (`var/lib/dpkg/info/<package>.list`), by package: which
   * package owns a path (what `dpkg -S` says). Absent when the layer writes none.
   */
  readonly packageLists?: Readonly<Record<string, readonly string[]>>;
  /** `sha256:<hex>` of the uncompressed tar (the layer's diff ID), when verification is on. */
  readonly diffId?: string;
  /** Bytes of the uncompressed tar. */
  readonly tarBytes: number;
  readonly compression: Compression;
}

export type Compression = 'none' | 'gzip' | 'zstd';

/** One step of the image's history (from the config), empty-layer steps included. */
export interface HistoryStep {
  readonly createdBy: string;
  readonly created?: string;
  readonly comment?: string;
  readonly emptyLayer: boolean;
}

export interface ImageLayer {
  readonly index: number;
  /** The diff ID from the config (verified against the tar when both are known). */
  readonly diffId: string;
  /** Where the archive kept it: `<id>/layer.tar` or `blobs/sha256/<hex>`. */
  readonly blob: string;
  readonly contents: LayerContents;
  /** The history step that created this layer, when the config has one. */
  readonly step?: HistoryStep;
  /**
   * A legacy `docker save` stored this layer as a link to another layer's identical tar (a later
   * step that changed nothing, e.g. a chmod to the same mode). The contents are the target's;
   * dive reads such a link as an empty layer, and its figures here do the same.
   */
  readonly linked?: true;
}

/** A layer as findings and comparisons name it. */
export interface LayerRef {
  readonly index: number;
  /** The instruction as written (`RUN …`), or '' when the history does not say. */
  readonly instruction: string;
  /** Its instruction's line in the Dockerfile (--dockerfile, `layerscope build`), when the step was placed. */
  readonly location?: DockerfileLocation;
}

/** Where a COPY or ADD takes its files from, as the Dockerfile says (the history does not record it). */
export type CopyOrigin =
  | { readonly kind: 'context' }
  | { readonly kind: 'stage'; readonly stage: number; readonly name?: string }
  | { readonly kind: 'image'; readonly image: string };

/** The instruction a layer's history step was placed on (src/build/step-map.ts). */
export interface DockerfileLocation {
  /** `base`: the base image's own step, placed on the FROM that chose the base. */
  readonly kind: 'instruction' | 'base';
  /** The Dockerfile, as the user named it. */
  readonly file: string;
  /** 1-based first and last line of the instruction. */
  readonly line: number;
  readonly endLine: number;
  /** The stage's index, and its name when it has one. */
  readonly stage: number;
  readonly stageName?: string;
  /** `RUN`, `COPY`, `ADD`, `WORKDIR`…, `FROM` for the base image's steps. */
  readonly keyword: string;
  /** COPY and ADD: where the files came from. */
  readonly origin?: CopyOrigin;
}

export interface ImageConfigSummary {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly created?: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ParsedImage {
  /** `sha256:<hex>` of the config JSON: the engine's image ID. */
  readonly id: string;
  readonly tags: readonly string[];
  readonly config: ImageConfigSummary;
  readonly layers: readonly ImageLayer[];
  readonly history: readonly HistoryStep[];
  /** `docker-save` (legacy manifest.json layout), `oci` (index.json layout) or `docker-dir` (skopeo's dir: layout). */
  readonly layout: 'docker-save' | 'oci' | 'docker-dir';
}
