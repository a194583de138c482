// The shapes of the engine's JSON answers layerscope reads (image inspect, image history),
// checked at the boundary like the image's own documents (src/archive/documents.ts).

import { DIGEST, z } from '../archive/documents.js';

export const engineInspectSchema = z.object({
  Id: z.string(),
  Size: z.number().nonnegative(),
  Os: z.string(),
  Architecture: z.string(),
  Variant: z.string().optional(),
  RootFS: z.object({ Layers: z.array(z.string().regex(DIGEST, { message: 'expected sha256:<64 hex>' })).optional() }).optional(),
});

/** `GET /images/json`: the local images, as much of each as the base lookup needs. */
export const engineImageListSchema = z.array(
  z.object({
    Id: z.string(),
    ParentId: z.string().optional(),
    RepoTags: z.array(z.string()).nullable().optional(),
  }),
);

export const engineHistorySchema = z.array(
  z.object({
    Id: z.string().optional(),
    CreatedBy: z.string().optional(),
    Size: z.number().optional(),
  }),
);

/** `POST /containers/create`: the container the file viewer reads one file through. */
export const engineCreatedSchema = z.object({ Id: z.string().regex(/^[0-9a-f]{12,64}$/, { message: 'expected a hex container ID' }) });
