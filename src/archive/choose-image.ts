// Which image of an archive to read, and where its config and layers are: docker save's
// manifest.json (a list of images), or skopeo's dir: layout, whose manifest.json is the one
// image's manifest (podman save --format docker-dir writes it too), else an OCI index (followed through platform indexes) and the image manifest it
// leads to, chosen by tag and platform. The one chooser for the parser (members of the stream)
// and the explorer's preview (files read on demand): both pass a reader of JSON documents.

import { InvalidArchiveError, MissingBlobError, UnknownPlatformError } from '../errors.js';
import {
  dockerManifestSchema,
  imageConfigSchema,
  ociIndexSchema,
  ociManifestSchema,
  parseDocument,
  type ImageConfig,
  type Parsed,
  type z,
} from './documents.js';
import { formatPlatform, samePlatform, type Platform } from '../model/platform.js';

/** The text of a JSON document of the archive by path; undefined when it has none there. */
export type ReadDocument = (path: string) => Promise<string | undefined>;

export interface ChooseOptions {
  /** How the user named the archive, for messages. */
  readonly source: string;
  /** Chosen by the user (--platform): an index without it is an error. */
  readonly platform?: Platform;
  /** The engine's or this machine's platform, used when the user chose none. */
  readonly defaultPlatform?: Platform;
  /** The image to choose in a multi-image archive. */
  readonly tag?: string;
}

export interface ImageChoice {
  readonly configPath: string;
  readonly layerPaths: readonly string[];
  readonly tags: readonly string[];
  readonly layout: 'docker-save' | 'oci' | 'docker-dir';
}

export async function chooseImage(read: ReadDocument, options: ChooseOptions): Promise<ImageChoice> {
  const manifest = await read('manifest.json');
  if (manifest !== undefined && manifest.trimStart().startsWith('{')) return fromDirManifest(manifest, options);
  if (manifest !== undefined) return fromDockerManifest(document(manifest, 'manifest.json', dockerManifestSchema, options.source), options);
  if ((await read('index.json')) !== undefined) return fromOciIndex(read, options);
  throw new InvalidArchiveError(options.source, 'it has neither manifest.json nor index.json');
}

/** The image config at `path`, checked against its shape; a missing one is a missing blob. */
export async function readImageConfig(read: ReadDocument, path: string, source: string): Promise<ImageConfig> {
  const text = await read(path);
  if (text === undefined) throw new MissingBlobError(path, 'image config');
  return document(text, path, imageConfigSchema, source);
}

/** `blobs/<algorithm>/<hex>` for a digest the document schemas have already checked. */
export function blobPath(digest: string): string {
  return `blobs/${digest.replace(':', '/')}`;
}

function fromDockerManifest(entries: Parsed<typeof dockerManifestSchema>, options: ChooseOptions): ImageChoice {
  if (entries.length === 0) throw new InvalidArchiveError(options.source, 'manifest.json lists no image');
  const chosen =
    entries.length === 1 && options.tag === undefined ? entries[0] : entries.find((entry) => options.tag !== undefined && (entry.RepoTags ?? []).includes(options.tag));
  if (!chosen) throw severalImages(options, entries.length, entries.flatMap((entry) => entry.RepoTags ?? []));
  return { configPath: chosen.Config, layerPaths: chosen.Layers, tags: chosen.RepoTags ?? [], layout: 'docker-save' };
}

/**
 * The dir: layout: manifest.json is an image manifest (Docker v2 schema 2 or OCI), and each blob
 * is a file named by its digest's hex, beside it (containers/image names them so).
 */
function fromDirManifest(text: string, options: ChooseOptions): ImageChoice {
  if ('value' in parseDocument(ociIndexSchema, text)) {
    throw new InvalidArchiveError(options.source, 'its manifest.json is a list of several images (skopeo copy --all)', 'copy one image: skopeo copy without --all (add --override-arch ARCH for another platform) … dir:DIR');
  }
  const manifest = document(text, 'manifest.json', ociManifestSchema, options.source);
  if (options.tag !== undefined) {
    throw new InvalidArchiveError(options.source, `it holds no image tagged ${options.tag}`, 'a dir: layout holds one image and no tags: name it without :TAG');
  }
  return { configPath: dirBlobPath(manifest.config.digest), layerPaths: manifest.layers.map((layer) => dirBlobPath(layer.digest)), tags: [], layout: 'docker-dir' };
}

/** The file of a blob in a dir: layout: its digest's hex, for a digest the schemas have already checked. */
function dirBlobPath(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1);
}

interface Candidate {
  readonly manifestPath: string;
  readonly platform?: Platform;
  readonly tags: readonly string[];
}

export const INDEX_TYPES: ReadonlySet<string> = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);
const NAME_ANNOTATIONS = ['io.containerd.image.name', 'org.opencontainers.image.ref.name'];

async function fromOciIndex(read: ReadDocument, options: ChooseOptions): Promise<ImageChoice> {
  const candidates = await collectManifests(read, 'index.json', [], options.source);
  const present: Candidate[] = [];
  for (const candidate of candidates) if ((await read(candidate.manifestPath)) !== undefined) present.push(candidate);
  if (present.length === 0) throw new MissingBlobError(candidates[0]?.manifestPath ?? 'index.json', 'image manifest');
  const chosen = choose(present, options);
  const text = await read(chosen.manifestPath);
  const manifest = document(text ?? '', chosen.manifestPath, ociManifestSchema, options.source);
  return { configPath: blobPath(manifest.config.digest), layerPaths: manifest.layers.map((layer) => blobPath(layer.digest)), tags: chosen.tags, layout: 'oci' };
}

/** How deep indexes may nest (an index of platform indexes is two). */
export const MAX_INDEX_DEPTH = 4;

/** Image manifests behind an index, breadth-first through nested indexes (at most MAX_INDEX_DEPTH deep, no recursion). */
async function collectManifests(read: ReadDocument, indexPath: string, tags: readonly string[], source: string): Promise<Candidate[]> {
  const found: Candidate[] = [];
  let level: { path: string; tags: readonly string[] }[] = [{ path: indexPath, tags }];
  for (let depth = 0; depth < MAX_INDEX_DEPTH && level.length > 0; depth++) {
    const next: typeof level = [];
    for (const { path, tags: inherited } of level) {
      const text = await read(path);
      if (text === undefined) continue;
      for (const descriptor of document(text, path, ociIndexSchema, source).manifests) {
        if (isAttestation(descriptor)) continue;
        const name = NAME_ANNOTATIONS.map((key) => descriptor.annotations?.[key]).find((value) => value !== undefined);
        const candidateTags = name === undefined ? inherited : [...inherited, name];
        const manifestPath = blobPath(descriptor.digest);
        if (descriptor.mediaType !== undefined && INDEX_TYPES.has(descriptor.mediaType)) next.push({ path: manifestPath, tags: candidateTags });
        else found.push({ manifestPath, tags: candidateTags, ...(descriptor.platform ? { platform: descriptor.platform } : {}) });
      }
    }
    level = next;
  }
  return found;
}

/** An index entry that is no image to run: a build attestation (by its annotation, or its `unknown/unknown` platform). */
export function isAttestation(descriptor: { readonly platform?: Platform; readonly annotations?: Readonly<Record<string, string>> }): boolean {
  return descriptor.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' || (descriptor.platform?.os === 'unknown' && descriptor.platform.architecture === 'unknown');
}

/** By tag first (the names several images go by), then by platform among one image's manifests. */
function choose(candidates: readonly Candidate[], options: ChooseOptions): Candidate {
  const tagged = options.tag === undefined ? candidates : candidates.filter((candidate) => candidate.tags.some((tag) => sameTag(tag, options.tag ?? '')));
  const allTags = [...new Set(candidates.flatMap((candidate) => candidate.tags))];
  if (tagged.length === 0) throw severalImages(options, candidates.length, allTags);
  const paths = new Set(tagged.map((candidate) => candidate.manifestPath));
  const first = tagged[0] as Candidate;
  // The same manifest under several names (docker save a:1 a:2) is one image.
  if (paths.size === 1) return choosePlatform([{ ...first, tags: [...new Set(tagged.flatMap((candidate) => candidate.tags))] }], options);
  // Several images by name (not the platforms of one): the user must name one.
  if (options.tag === undefined && new Set(tagged.map((candidate) => candidate.tags.join('\n'))).size > 1) {
    throw severalImages(options, paths.size, allTags);
  }
  return choosePlatform(tagged, options);
}

/** `latest` matches a full name `docker.io/library/app:latest` as well as itself. */
function sameTag(name: string, wanted: string): boolean {
  return name === wanted || name.endsWith(`:${wanted}`);
}

/** One image of several by platform: the user's choice, else the default; the error lists what exists. */
export function choosePlatform<T extends { readonly platform?: Platform }>(candidates: readonly T[], options: Pick<ChooseOptions, 'platform' | 'defaultPlatform'>): T {
  const wanted = options.platform;
  const only = candidates.length === 1 ? candidates[0] : undefined;
  if (only && (!wanted || !only.platform || samePlatform(only.platform, wanted))) return only;
  const target = wanted ?? options.defaultPlatform;
  const match = target && candidates.find((candidate) => candidate.platform && samePlatform(candidate.platform, target));
  if (match) return match;
  if (!wanted && candidates.every((candidate) => !candidate.platform) && candidates[0]) return candidates[0];
  if (!target && candidates[0]) return candidates[0];
  throw new UnknownPlatformError(
    target ? formatPlatform(target) : 'unspecified',
    candidates.flatMap((candidate) => (candidate.platform ? [formatPlatform(candidate.platform)] : [])),
  );
}

function severalImages(options: ChooseOptions, count: number, tags: readonly string[]): InvalidArchiveError {
  return new InvalidArchiveError(
    options.source,
    options.tag === undefined ? `it holds ${count} images` : `it holds no image tagged ${options.tag}`,
    `name one after the path: ${options.source.startsWith('oci:') ? 'oci' : 'docker-archive'}:PATH:TAG (tags here: ${tags.join(', ') || 'none'})`,
  );
}

function document<S extends z.ZodTypeAny>(text: string, path: string, schema: S, source: string): Parsed<S> {
  const parsed = parseDocument(schema, text);
  if ('problem' in parsed) {
    throw new InvalidArchiveError(source, `${path}: ${parsed.problem}`, 'its metadata does not follow the image format; re-create it with `docker save` or `skopeo copy`');
  }
  return parsed.value;
}
