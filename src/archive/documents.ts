// The shapes of the JSON documents an image carries (docker save's manifest.json, an OCI index,
// an image manifest, the image config), checked once at the boundary with zod: everything after
// this module trusts their types. A document of the wrong shape is an input error naming the
// document and the field, never a crash further in.

import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Every JSON document read from an image is at most this long: larger is not metadata. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** Digests name files inside a layout: only registered algorithms (as go-digest registers them) with their exact hex length. */
export const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;
const digest = z.string().regex(DIGEST, { error: 'expected sha256:<64 hex>, sha384:<96 hex> or sha512:<128 hex>' });

/** The digest of `bytes` in the algorithm a (checked) digest names: what to compare it with. */
export function digestOf(bytes: Buffer, algorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** The algorithm of a checked digest (`sha256` of `sha256:…`). */
export function algorithmOf(digest: string): string {
  return digest.slice(0, digest.indexOf(':'));
}

const platform = z.object({
  os: z.string(),
  architecture: z.string(),
  variant: z.string().exactOptional(),
});

const descriptor = z.object({
  mediaType: z.string().exactOptional(),
  digest,
  size: z.number().int().nonnegative().exactOptional(),
  platform: platform.exactOptional(),
  annotations: z.record(z.string(), z.string()).exactOptional(),
});

/** docker save's manifest.json: one entry per image. */
export const dockerManifestSchema = z.array(
  z.object({
    Config: z.string(),
    RepoTags: z.array(z.string()).nullable().exactOptional(),
    Layers: z.array(z.string()),
  }),
);

/** An OCI image index (index.json, or a platform index behind it). */
export const ociIndexSchema = z.object({
  mediaType: z.string().exactOptional(),
  manifests: z.array(descriptor),
});

/** An OCI (or Docker v2) image manifest. */
export const ociManifestSchema = z.object({
  mediaType: z.string().exactOptional(),
  config: descriptor,
  layers: z.array(descriptor),
});

const historyStep = z.object({
  created: z.string().exactOptional(),
  created_by: z.string().exactOptional(),
  comment: z.string().exactOptional(),
  empty_layer: z.boolean().exactOptional(),
});

/** The image config: what the model keeps of it. */
export const imageConfigSchema = z.object({
  os: z.string().exactOptional(),
  architecture: z.string().exactOptional(),
  variant: z.string().exactOptional(),
  created: z.string().exactOptional(),
  config: z.object({ Labels: z.record(z.string(), z.string()).nullable().exactOptional() }).nullable().exactOptional(),
  rootfs: z.object({ diff_ids: z.array(digest) }),
  history: z.array(historyStep).exactOptional(),
});

export type DockerManifest = z.infer<typeof dockerManifestSchema>;
export type OciIndex = z.infer<typeof ociIndexSchema>;
export type OciDescriptor = z.infer<typeof descriptor>;
export type OciManifest = z.infer<typeof ociManifestSchema>;
export type ImageConfig = z.infer<typeof imageConfigSchema>;

/** Why a document did not parse: `not JSON`, or the first field that is wrong and how. */
export type DocumentProblem = string;

/** Parses JSON text against a schema; the problem names the field (`manifests[2].digest: …`). */
export function parseDocument<T>(schema: z.ZodType<T>, text: string): { readonly value: T } | { readonly problem: DocumentProblem } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: 'it is not valid JSON' };
  }
  return checkShape(schema, json);
}

/** Checks an already-parsed value (an engine's JSON answer) against a schema. */
export function checkShape<T>(schema: z.ZodType<T>, value: unknown): { readonly value: T } | { readonly problem: DocumentProblem } {
  const result = schema.safeParse(value);
  if (result.success) return { value: result.data };
  const issue = result.error.issues[0];
  if (!issue) return { problem: 'it has the wrong shape' };
  const field = fieldName(issue.path);
  return { problem: `${field === '' ? 'the document' : field}: ${issue.message.replace(/^Invalid input: /, '')}` };
}

function fieldName(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}
