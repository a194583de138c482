// The shapes of the engine's JSON answers layerscope reads (image inspect, image history),
// checked at the boundary like the image's own documents (src/archive/documents.ts).

import { z } from 'zod';
import { DIGEST } from '../archive/documents.js';

export const engineInspectSchema = z.object({
  Id: z.string(),
  Size: z.number().nonnegative(),
  Os: z.string(),
  Architecture: z.string(),
  Variant: z.string().exactOptional(),
  RootFS: z.object({ Layers: z.array(z.string().regex(DIGEST, { error: 'expected sha256:<64 hex>' })).exactOptional() }).exactOptional(),
});

/** `GET /images/json`: the local images, as much of each as the base lookup needs. */
export const engineImageListSchema = z.array(
  z.object({
    Id: z.string(),
    ParentId: z.string().exactOptional(),
    RepoTags: z.array(z.string()).nullable().exactOptional(),
  }),
);

export const engineHistorySchema = z.array(
  z.object({
    Id: z.string().exactOptional(),
    CreatedBy: z.string().exactOptional(),
    Size: z.number().exactOptional(),
  }),
);

/** `POST /containers/create`: the container the file viewer reads one file through. */
export const engineCreatedSchema = z.object({ Id: z.string().regex(/^[0-9a-f]{12,64}$/, { error: 'expected a hex container ID' }) });
