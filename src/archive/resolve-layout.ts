// Turns the members of an image archive into one ParsedImage: finds the image (manifest.json
// for docker-save archives, index.json for OCI layouts), orders its layers, checks each against
// its diff ID, and maps history steps to layers.

import { posix } from 'node:path';
import { CorruptLayerError, InvalidArchiveError, MissingBlobError, UnknownPlatformError } from '../errors.js';
import { mapHistory } from '../model/history.js';
import type { ImageLayer, LayerContents, ParsedImage } from '../model/types.js';
import type { ArchiveMember, ArchiveMembers } from './read-image-archive.js';
import { normalisePath } from './paths.js';

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export interface ResolveOptions {
  readonly source: string;
  /** Chosen by the user (--platform): an index without it is an error. */
  readonly platform?: Platform;
  /** The engine's or this machine's platform, used when the user chose none. */
  readonly defaultPlatform?: Platform;
  readonly tag?: string;
}

interface ImageRef {
  readonly configPath: string;
  readonly layerPaths: readonly string[];
  readonly tags: readonly string[];
  readonly layout: ParsedImage['layout'];
}

export function resolveImage(archive: ArchiveMembers, options: ResolveOptions): ParsedImage {
  const ref = archive.members.has('manifest.json')
    ? fromDockerManifest(archive, options)
    : archive.members.has('index.json')
      ? fromOciIndex(archive, options)
      : undefined;
  if (!ref) {
    throw new InvalidArchiveError(options.source, 'it has neither manifest.json nor index.json');
  }
  const configMember = member(archive, ref.configPath);
  if (configMember?.kind !== 'json') throw new MissingBlobError(ref.configPath, 'image config');
  const config = parseJson(configMember.text, ref.configPath, options.source) as ImageConfigJson;
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== ref.layerPaths.length) {
    throw new InvalidArchiveError(
      options.source,
      `the manifest lists ${ref.layerPaths.length} layers but the config has ${diffIds.length} diff IDs`,
    );
  }
  const { steps, layerSteps } = mapHistory(config.history ?? [], ref.layerPaths.length);
  const layers = ref.layerPaths.map((blob, index): ImageLayer => {
    const contents = layerContents(archive, blob);
    const diffId = diffIds[index] ?? contents.diffId ?? '';
    if (contents.diffId !== undefined && contents.diffId !== diffId) {
      throw new CorruptLayerError(blob, `its content hashes to ${contents.diffId}, but the image expects ${diffId}`);
    }
    const step = layerSteps[index];
    const linked = ref.layout === 'docker-save' && archive.links.has(normalisePath(blob));
    return { index, diffId, blob, contents, ...(step ? { step } : {}), ...(linked ? { linked: true } : {}) };
  });
  return {
    id: configMember.digest,
    tags: ref.tags,
    config: {
      os: config.os ?? 'unknown',
      architecture: config.architecture ?? 'unknown',
      ...(config.variant ? { variant: config.variant } : {}),
      ...(config.created ? { created: config.created } : {}),
      labels: { ...(config.config?.Labels ?? {}) },
    },
    layers,
    history: steps,
    layout: ref.layout,
  };
}

function layerContents(archive: ArchiveMembers, blob: string): LayerContents {
  const found = member(archive, blob);
  if (!found) throw new MissingBlobError(blob, 'layer');
  if (found.kind === 'unreadable') throw new CorruptLayerError(blob, found.problem);
  if (found.kind !== 'layer') throw new CorruptLayerError(blob, 'it is not a tar, gzip or zstd blob');
  return found.contents;
}

/** A member by path, following the symlinks a legacy archive uses for repeated layers. */
function member(archive: ArchiveMembers, path: string): ArchiveMember | undefined {
  let current = normalisePath(path);
  for (let hops = 0; hops < 16; hops++) {
    const found = archive.members.get(current);
    if (found) return found;
    const next = archive.links.get(current);
    if (next === undefined) return undefined;
    current = next;
  }
  return undefined;
}

interface DockerManifestEntry {
  readonly Config?: string;
  readonly RepoTags?: readonly string[] | null;
  readonly Layers?: readonly string[];
}

function fromDockerManifest(archive: ArchiveMembers, options: ResolveOptions): ImageRef {
  const entries = jsonMember(archive, 'manifest.json', options.source) as DockerManifestEntry[];
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new InvalidArchiveError(options.source, 'manifest.json lists no image');
  }
  const chosen =
    entries.length === 1 && options.tag === undefined
      ? entries[0]
      : entries.find((entry) => options.tag !== undefined && (entry.RepoTags ?? []).includes(options.tag));
  if (!chosen?.Config || !Array.isArray(chosen.Layers)) {
    const tags = entries.flatMap((entry) => entry.RepoTags ?? []);
    throw new InvalidArchiveError(
      options.source,
      options.tag === undefined ? `it holds ${entries.length} images` : `it holds no image tagged ${options.tag}`,
      `name one after the path: docker-archive:PATH:TAG (tags here: ${tags.join(', ') || 'none'})`,
    );
  }
  return { configPath: chosen.Config, layerPaths: chosen.Layers, tags: chosen.RepoTags ?? [], layout: 'docker-save' };
}

interface Descriptor {
  readonly mediaType?: string;
  readonly digest?: string;
  readonly platform?: { readonly os?: string; readonly architecture?: string; readonly variant?: string };
  readonly annotations?: Readonly<Record<string, string>>;
}

interface OciCandidate {
  readonly manifestPath: string;
  readonly platform?: Platform;
  readonly tags: readonly string[];
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

function fromOciIndex(archive: ArchiveMembers, options: ResolveOptions): ImageRef {
  const candidates = collectManifests(archive, 'index.json', [], options, 0);
  const present = candidates.filter((candidate) => member(archive, candidate.manifestPath)?.kind === 'json');
  if (present.length === 0) {
    const missing = candidates[0]?.manifestPath ?? 'index.json';
    throw new MissingBlobError(missing, 'image manifest');
  }
  const tagged = options.tag === undefined ? present : present.filter((c) => c.tags.includes(options.tag ?? ''));
  const chosen = choosePlatform(tagged.length > 0 ? tagged : present, options);
  const manifest = jsonMember(archive, chosen.manifestPath, options.source) as {
    config?: Descriptor;
    layers?: Descriptor[];
  };
  if (!manifest.config?.digest || !Array.isArray(manifest.layers)) {
    throw new InvalidArchiveError(options.source, `${chosen.manifestPath} is not an image manifest`);
  }
  return {
    configPath: blobPath(manifest.config.digest),
    layerPaths: manifest.layers.map((layer) => blobPath(layer.digest ?? '')),
    tags: chosen.tags,
    layout: 'oci',
  };
}

function collectManifests(
  archive: ArchiveMembers,
  indexPath: string,
  inheritedTags: readonly string[],
  options: ResolveOptions,
  depth: number,
): OciCandidate[] {
  if (depth > 4) return [];
  const index = jsonMember(archive, indexPath, options.source) as { manifests?: Descriptor[] };
  return (index.manifests ?? []).flatMap((descriptor): OciCandidate[] => {
    if (!descriptor.digest) return [];
    if (descriptor.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return [];
    const name =
      descriptor.annotations?.['io.containerd.image.name'] ?? descriptor.annotations?.['org.opencontainers.image.ref.name'];
    const tags = name ? [...inheritedTags, name] : inheritedTags;
    const path = blobPath(descriptor.digest);
    if (descriptor.mediaType && INDEX_TYPES.has(descriptor.mediaType)) {
      return member(archive, path)?.kind === 'json' ? collectManifests(archive, path, tags, options, depth + 1) : [];
    }
    const platform = descriptor.platform;
    return [
      {
        manifestPath: path,
        tags,
        ...(platform?.os && platform.architecture
          ? { platform: { os: platform.os, architecture: platform.architecture, ...(platform.variant ? { variant: platform.variant } : {}) } }
          : {}),
      },
    ];
  });
}

function choosePlatform(candidates: readonly OciCandidate[], options: ResolveOptions): OciCandidate {
  const only = candidates.length === 1 ? candidates[0] : undefined;
  const wanted = options.platform;
  if (only && (!wanted || !only.platform || samePlatform(only.platform, wanted))) return only;
  const target = wanted ?? options.defaultPlatform;
  const match = target && candidates.find((candidate) => candidate.platform && samePlatform(candidate.platform, target));
  if (match) return match;
  if (!target && candidates[0]) return candidates[0];
  throw new UnknownPlatformError(
    target ? formatPlatform(target) : 'unspecified',
    candidates.flatMap((candidate) => (candidate.platform ? [formatPlatform(candidate.platform)] : [])),
  );
}

function samePlatform(have: Platform, want: Platform): boolean {
  return (
    have.os === want.os &&
    have.architecture === want.architecture &&
    (want.variant === undefined || have.variant === want.variant)
  );
}

export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

function blobPath(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return posix.join('blobs', algorithm ?? '', hex ?? '');
}

function jsonMember(archive: ArchiveMembers, path: string, source: string): unknown {
  const found = member(archive, path);
  if (found?.kind !== 'json') throw new InvalidArchiveError(source, `${path} is missing or not JSON`);
  return parseJson(found.text, path, source);
}

function parseJson(text: string, path: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidArchiveError(source, `${path} is not valid JSON`);
  }
}

interface ImageConfigJson {
  readonly os?: string;
  readonly architecture?: string;
  readonly variant?: string;
  readonly created?: string;
  readonly config?: { readonly Labels?: Readonly<Record<string, string>> | null };
  readonly rootfs?: { readonly diff_ids?: readonly string[] };
  readonly history?: Parameters<typeof mapHistory>[0];
}
