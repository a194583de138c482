// An image straight from a registry: the manifest by tag or digest (an index resolved to one
// platform), the config, then the blobs streamed as an OCI image layout tar, so the one archive
// parser reads it as it reads every other source.

import { choosePlatform, INDEX_TYPES, isAttestation, MAX_INDEX_DEPTH } from '../archive/choose-image.js';
import { algorithmOf, checkShape, digestOf, imageConfigSchema, ociIndexSchema, ociManifestSchema, parseDocument, type OciIndex, type OciManifest } from '../archive/documents.js';
import type { Platform } from '../model/platform.js';
import { InvalidArchiveError } from '../errors.js';
import { RegistryNotFoundError, RegistryUnavailableError } from '../registry-errors.js';
import { fromConfig } from './archive-preview.js';
import { familiarName, type ImageReference } from './reference.js';
import { readDocument, RegistryClient, type RegistryResponse } from './registry-client.js';
import { findCredentials, type CredentialEnvironment } from './registry-credentials.js';
import { registryArchive } from './registry-archive.js';
import type { ImagePreview } from './image-preview.js';

const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;
const ACCEPT = [MEDIA.ociIndex, MEDIA.dockerList, MEDIA.ociManifest, MEDIA.dockerManifest].join(', ');

export interface RegistryImageOptions {
  /** --platform, when given: an index without it is an error. */
  readonly platform?: Platform;
  /** This machine's platform, for an index when the user chose none. */
  readonly defaultPlatform: Platform;
  readonly tlsVerify: boolean;
  readonly environment: CredentialEnvironment;
  /** How long the registry may stay silent (--timeout). */
  readonly timeoutMs?: number;
}

export interface RegistryImage {
  readonly platform: Platform;
  /** The blobs' sizes as the manifest gives them: what the archive will be, give or take tar headers. */
  readonly expectedBytes: number;
  readonly preview: ImagePreview | undefined;
  /** The name the archive tags the image with, and the manifest's digest: together they fix the archive. */
  readonly name: string;
  readonly manifestDigest: string;
  archive(): AsyncIterable<Buffer>;
}

interface Document {
  readonly digest: string;
  readonly bytes: Buffer;
  readonly json: { readonly index: OciIndex } | { readonly manifest: OciManifest };
}

export async function openRegistryImage(image: ImageReference, options: RegistryImageOptions): Promise<RegistryImage> {
  const name = familiarName(image);
  let found: ReturnType<typeof findCredentials> | undefined;
  // One lookup (a credential helper may prompt or be slow) for every client of this image.
  const connect = (): RegistryClient =>
    new RegistryClient({ domain: image.domain, tlsVerify: options.tlsVerify, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }), credentials: () => (found ??= findCredentials(image.domain, options.environment)) });
  const client = connect();
  try {
    return await resolveImage(client, connect, image, name, options);
  } finally {
    await client.close();
  }
}

async function resolveImage(client: RegistryClient, connect: () => RegistryClient, image: ImageReference, name: string, options: RegistryImageOptions): Promise<RegistryImage> {
  const repo = image.path;
  const manifest = await platformManifest(client, image, await fetchManifest(client, image, image.digest ?? image.tag ?? 'latest'), options);
  const { config: configDescriptor, layers } = manifest.json;
  const configBytes = await fetchDocument(client, repo, configDescriptor.digest, 'blob');
  const parsed = parseDocument(imageConfigSchema, configBytes.toString('utf8'));
  if ('problem' in parsed) throw new InvalidArchiveError(`registry://${name}`, `its image config: ${parsed.problem}`);
  const config = parsed.value;
  const platform: Platform = { os: config.os ?? 'unknown', architecture: config.architecture ?? 'unknown', ...(config.variant ? { variant: config.variant } : {}) };
  // A single-platform image still answers to --platform: the same error an index gives.
  choosePlatform([{ platform }], options.platform ? { platform: options.platform } : {});
  const index = {
    schemaVersion: 2,
    mediaType: MEDIA.ociIndex,
    manifests: [{ mediaType: manifest.json.mediaType ?? MEDIA.ociManifest, digest: manifest.digest, size: manifest.bytes.length, platform, annotations: { 'io.containerd.image.name': name } }],
  };
  const unique = [...new Map(layers.map((layer) => [layer.digest, layer])).values()];
  return {
    platform,
    name,
    manifestDigest: manifest.digest,
    expectedBytes: manifest.bytes.length + configBytes.length + unique.reduce((sum, layer) => sum + (layer.size ?? 0), 0),
    preview: fromConfig(config),
    // Each reading (the explorer reads again to show a file) has its own connections, closed when it ends.
    archive: () => {
      const reader = connect();
      return registryArchive(
        { index: Buffer.from(JSON.stringify(index)), manifest: manifest.bytes, manifestDigest: manifest.digest, config: configBytes, configDigest: configDescriptor.digest, layers: unique },
        reader.domain,
        (digest) => fetchBlob(reader, repo, digest),
        () => reader.close(),
      );
    },
  };
}

/** Follows indexes (nested ones too, as the archive chooser does) to the image manifest for the platform. */
async function platformManifest(client: RegistryClient, image: ImageReference, first: Document, options: RegistryImageOptions): Promise<{ readonly digest: string; readonly bytes: Buffer; readonly json: OciManifest }> {
  let document = first;
  for (let depth = 0; 'index' in document.json; depth++) {
    if (depth === MAX_INDEX_DEPTH) throw new InvalidArchiveError(`registry://${familiarName(image)}`, `its indexes nest more than ${MAX_INDEX_DEPTH} deep`);
    const candidates = document.json.index.manifests.filter((entry) => !isAttestation(entry)).map((entry) => ({ entry, ...(entry.platform ? { platform: entry.platform } : {}) }));
    const chosen = choosePlatform(candidates, { ...(options.platform ? { platform: options.platform } : {}), defaultPlatform: options.defaultPlatform });
    document = await fetchManifest(client, image, chosen.entry.digest);
  }
  return { digest: document.digest, bytes: document.bytes, json: document.json.manifest };
}

async function fetchManifest(client: RegistryClient, image: ImageReference, reference: string): Promise<Document> {
  const what = `the manifest of ${image.path}:${reference}`;
  const response = await client.get(`/v2/${image.path}/manifests/${reference}`, image.path, ACCEPT);
  if (response.status === 404) throw await notFound(client, response, image, reference);
  await expectOk(response, client, what);
  const bytes = await readDocument(response.body, client.domain, `the manifest of ${image.path}`);
  // By digest: the bytes must hash to it, in its algorithm. By tag: the digest they hash to names them.
  const byDigest = reference.includes(':');
  const digest = digestOf(bytes, byDigest ? algorithmOf(reference) : 'sha256');
  if (byDigest && digest !== reference) {
    throw new RegistryUnavailableError(image.domain, `the manifest it sent for ${reference} hashes to ${digest}`, 'the registry or something between is altering content; do not trust this image');
  }
  return { digest, bytes, json: manifestShape(parse(bytes, what), `registry://${familiarName(image)}`) };
}

/** An index or an image manifest, checked against the shapes every source's documents are checked against. */
function manifestShape(json: Record<string, unknown>, source: string): Document['json'] {
  const isIndex = Array.isArray(json['manifests']) || (typeof json['mediaType'] === 'string' && INDEX_TYPES.has(json['mediaType']));
  if (!isIndex && json['schemaVersion'] === 1) {
    throw new InvalidArchiveError(source, 'its manifest is Docker schema 1, which has no image config', 'push the image again with a current docker or skopeo (schema 2)');
  }
  const checked = isIndex ? checkShape(ociIndexSchema, json) : checkShape(ociManifestSchema, json);
  if ('problem' in checked) throw new InvalidArchiveError(source, `its ${isIndex ? 'index' : 'manifest'}: ${checked.problem}`);
  return isIndex ? { index: checked.value as OciIndex } : { manifest: checked.value as OciManifest };
}

async function fetchDocument(client: RegistryClient, repo: string, digest: string, role: string): Promise<Buffer> {
  const response = await fetchBlob(client, repo, digest);
  const bytes = await readDocument(response.body, client.domain, `${role} ${digest}`);
  const actual = digestOf(bytes, algorithmOf(digest));
  if (actual !== digest) {
    throw new RegistryUnavailableError(client.domain, `the ${role} ${digest} it sent hashes to ${actual}`, 'the registry or something between is altering content; do not trust this image');
  }
  return bytes;
}

async function fetchBlob(client: RegistryClient, repo: string, digest: string): Promise<RegistryResponse> {
  const response = await client.get(`/v2/${repo}/blobs/${digest}`, repo);
  if (response.status === 404) {
    await response.body.dump();
    throw new RegistryNotFoundError(`blob ${digest} of ${repo}`, 'the registry lost a blob its manifest names; push the image again');
  }
  await expectOk(response, client, `blob ${digest}`);
  return response;
}

async function expectOk(response: RegistryResponse, client: RegistryClient, what: string): Promise<void> {
  if (response.status === 200) return;
  const detail = await errorBody(response, client.domain);
  throw new RegistryUnavailableError(client.domain, `HTTP ${response.status} for ${what}${registryError(detail, 'message') ? `: ${registryError(detail, 'message')}` : ''}`, response.status >= 500 ? 'the registry is failing; try again later' : 'check the reference and the registry');
}

/** A 404 for a manifest: the repository, or only the tag? The tag list says (some registries' error code too). */
async function notFound(client: RegistryClient, response: RegistryResponse, image: ImageReference, reference: string): Promise<RegistryNotFoundError> {
  const code = registryError(await errorBody(response, client.domain), 'code');
  const repo = `${image.domain}/${image.path}`;
  const tags = code === 'NAME_UNKNOWN' ? undefined : await listTags(client, image.path);
  if (tags === undefined) return new RegistryNotFoundError(`repository ${repo}`, 'check the repository name (registry://HOST/REPO:TAG)');
  const what = reference.includes(':') ? `manifest ${reference} of ${repo}` : `tag ${reference} of ${repo}`;
  return new RegistryNotFoundError(what, tags.length > 0 ? `tags there: ${tags.join(', ')}` : 'the repository has no tags');
}

/** The repository's first tags; undefined when the repository does not exist. */
async function listTags(client: RegistryClient, repo: string): Promise<readonly string[] | undefined> {
  const response = await client.get(`/v2/${repo}/tags/list?n=20`, repo);
  if (response.status !== 200) {
    const code = registryError(await errorBody(response, client.domain), 'code');
    if (response.status === 404 && code !== 'NAME_UNKNOWN') return [];
    return response.status === 404 ? undefined : [];
  }
  const body = await readDocument(response.body, client.domain, 'the tag list').catch(() => undefined);
  let tags: unknown;
  try {
    tags = (JSON.parse(body?.toString('utf8') ?? '{}') as { tags?: unknown } | null)?.tags;
  } catch {
    // a list we cannot read lists nothing
  }
  return Array.isArray(tags) ? tags.slice(0, 20).map(String) : [];
}

function parse(bytes: Buffer, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new InvalidArchiveError(what, 'it is not a JSON object');
}

/** An error response's body, for its error code; capped like every document. */
async function errorBody(response: RegistryResponse, host: string): Promise<string> {
  const bytes = await readDocument(response.body, host, 'an error answer').catch(() => undefined);
  return bytes?.toString('utf8') ?? '';
}

/** The first entry of a registry's error body (`{"errors":[{"code":"NAME_UNKNOWN","message":…}]}`), if it is one. */
function registryError(body: string, field: 'code' | 'message'): string | undefined {
  try {
    const value = (JSON.parse(body) as { errors?: Record<string, unknown>[] }).errors?.[0]?.[field];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
