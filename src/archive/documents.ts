// The shapes of the JSON documents an image carries (docker save's manifest.json, an OCI index,
// an image manifest, the image config), checked once at the boundary with zod: everything after
// this module trusts their types. A document of the wrong shape is an input error naming the
// document and the field, never a crash further in.
//
// Every schema is written in zod's v3 API, which the zod package keeps beside v4's: it loads in
// about 25 ms, where v4's takes about 95 ms (some 95 modules, every message locale among them),
// on every run that reads an image (a report on a 4 MB image took 0.75 s, 0.1 s of it zod). What
// v4's exactOptional said of the types, Parsed says here. The other schemas (the engine's
// answers, the docker CLI's files, the cache's records) take `z` from here, so that one import
// says which API loads.

import { createHash } from 'node:crypto';
import { z } from 'zod/v3';

export { z };

/** Every JSON document read from an image is at most this long: larger is not metadata. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** Digests name files inside a layout: only registered algorithms (as go-digest registers them) with their exact hex length. */
export const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;
const digest = z.string().regex(DIGEST, { message: 'expected sha256:<64 hex>, sha384:<96 hex> or sha512:<128 hex>' });

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
  variant: z.string().optional(),
});

const descriptor = z.object({
  mediaType: z.string().optional(),
  digest,
  size: z.number().int().nonnegative().optional(),
  platform: platform.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

/** docker save's manifest.json: one entry per image. */
export const dockerManifestSchema = z.array(
  z.object({
    Config: z.string(),
    RepoTags: z.array(z.string()).nullable().optional(),
    Layers: z.array(z.string()),
  }),
);

/** An OCI image index (index.json, or a platform index behind it). */
export const ociIndexSchema = z.object({
  mediaType: z.string().optional(),
  manifests: z.array(descriptor),
});

/** An OCI (or Docker v2) image manifest. */
export const ociManifestSchema = z.object({
  mediaType: z.string().optional(),
  config: descriptor,
  layers: z.array(descriptor),
});

const historyStep = z.object({
  created: z.string().optional(),
  created_by: z.string().optional(),
  comment: z.string().optional(),
  empty_layer: z.boolean().optional(),
});

/** The image config: what the model keeps of it. */
export const imageConfigSchema = z.object({
  os: z.string().optional(),
  architecture: z.string().optional(),
  variant: z.string().optional(),
  created: z.string().optional(),
  config: z.object({ Labels: z.record(z.string(), z.string()).nullable().optional() }).nullable().optional(),
  rootfs: z.object({ diff_ids: z.array(digest) }),
  history: z.array(historyStep).optional(),
});

/**
 * What a schema accepts, as the code holds it: an optional field is absent or set, never
 * undefined (exactOptionalPropertyTypes). True of whatever JSON parses to, which has no undefined,
 * and zod sets no field the input does not have.
 */
export type Parsed<S extends z.ZodTypeAny> = Defined<z.output<S>>;
type Defined<T> = T extends readonly (infer U)[] ? Defined<U>[] : T extends object ? { [K in keyof T]: Defined<Exclude<T[K], undefined>> } : T;

export type OciIndex = Parsed<typeof ociIndexSchema>;
export type OciManifest = Parsed<typeof ociManifestSchema>;
export type ImageConfig = Parsed<typeof imageConfigSchema>;

/** Why a document did not parse: `not JSON`, or the first field that is wrong and how. */
export type DocumentProblem = string;

/** Parses JSON text against a schema; the problem names the field (`manifests[2].digest: …`). */
export function parseDocument<S extends z.ZodTypeAny>(schema: S, text: string): { readonly value: Parsed<S> } | { readonly problem: DocumentProblem } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: 'it is not valid JSON' };
  }
  return checkShape(schema, json);
}

/** Checks an already-parsed value (an engine's JSON answer) against a schema. */
export function checkShape<S extends z.ZodTypeAny>(schema: S, value: unknown): { readonly value: Parsed<S> } | { readonly problem: DocumentProblem } {
  const result = schema.safeParse(value);
  if (result.success) return { value: result.data as Parsed<S> };
  const issue = result.error.issues[0];
  if (!issue) return { problem: 'it has the wrong shape' };
  const field = fieldName(issue.path);
  // A wrong type in JSON's own words (`expected object, received null`); the other issues (a
  // pattern, a bound) say what they expected.
  const message = issue.code === 'invalid_type' ? `expected ${issue.expected}, received ${issue.received}` : issue.message;
  return { problem: `${field === '' ? 'the document' : field}: ${message}` };
}

function fieldName(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}
