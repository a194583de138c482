// What a source knows of an image before its archive is read, for the explorer's first screen.

export interface ImagePreview {
  readonly diffIds: readonly string[];
  /** History steps oldest first, with the engine's per-step size (or, from a config, whether the step made a layer). */
  readonly history: readonly { readonly createdBy: string; readonly size: number; readonly emptyLayer?: boolean }[];
}
