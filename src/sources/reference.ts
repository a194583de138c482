// Image references read as the docker CLI reads them (distribution's reference grammar):
// [domain/]path[:tag][@digest], a path of lowercase components, `docker.io/library/` added to
// short names. Pure: it names what is wrong, the caller decides the error.

/** A parsed, normalised reference: `busybox` is docker.io, library/busybox, tag latest. */
export interface ImageReference {
  /** `docker.io`, `localhost:5000`, `[::1]:5000`. */
  readonly domain: string;
  /** The repository inside the registry: `library/busybox`, `team/app`. */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

export type ReferenceResult =
  | { readonly ok: true; readonly reference: ImageReference }
  | { readonly ok: false; readonly problem: string };

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const NAME_MAX = 255;

const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[_.]|__|[-]+)';
const PATH_COMPONENT = new RegExp(`^${ALNUM}(?:${SEPARATOR}${ALNUM})*$`);
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
/** Registered algorithms, with the length their hex must have. */
const DIGEST_HEX: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

/** Parses `name[:tag][@digest]` as `docker pull` does, adding docker.io/library where it would. */
export function parseReference(text: string): ReferenceResult {
  const fail = (problem: string): ReferenceResult => ({ ok: false, problem });
  if (text === '') return fail('it is empty');
  const at = text.indexOf('@');
  const digest = at === -1 ? undefined : text.slice(at + 1);
  const beforeDigest = at === -1 ? text : text.slice(0, at);
  if (digest !== undefined) {
    const problem = digestProblem(digest);
    if (problem) return fail(problem);
  }
  // A tag's colon comes after the last slash; a colon before it belongs to a port.
  const lastSlash = beforeDigest.lastIndexOf('/');
  const colon = beforeDigest.indexOf(':', lastSlash + 1);
  const name = colon === -1 ? beforeDigest : beforeDigest.slice(0, colon);
  const tag = colon === -1 ? undefined : beforeDigest.slice(colon + 1);
  if (tag !== undefined && !TAG.test(tag)) {
    return fail(tag === '' ? 'the tag after ":" is empty' : `"${tag}" is not a tag (letters, digits, _ . -, at most 128)`);
  }
  if (name.length > NAME_MAX) return fail(`the name is longer than ${NAME_MAX} characters`);
  const { domain, path } = splitDomain(name);
  if (domain !== undefined && !DOMAIN.test(domain)) return fail(`"${domain}" is not a registry host`);
  const components = path.split('/');
  for (const component of components) {
    if (PATH_COMPONENT.test(component)) continue;
    if (PATH_COMPONENT.test(component.toLowerCase())) return fail('the repository name must be lowercase');
    return fail(component === '' ? 'it has an empty path component' : `"${component}" is not a name component (a-z, 0-9, separated by . _ __ -)`);
  }
  const resolvedDomain = domain === undefined || domain === LEGACY_DEFAULT_DOMAIN ? DEFAULT_DOMAIN : domain;
  const resolvedPath = resolvedDomain === DEFAULT_DOMAIN && components.length === 1 ? `library/${path}` : path;
  return {
    ok: true,
    reference: {
      domain: resolvedDomain,
      path: resolvedPath,
      ...(tag !== undefined ? { tag } : {}),
      ...(digest !== undefined ? { digest } : {}),
    },
  };
}

/** The first component is a registry only when it looks like a host: a dot, a port, or localhost. */
function splitDomain(name: string): { readonly domain?: string; readonly path: string } {
  const slash = name.indexOf('/');
  if (slash === -1) return { path: name };
  const first = name.slice(0, slash);
  if (!first.includes('.') && !first.includes(':') && first !== 'localhost') return { path: name };
  return { domain: first, path: name.slice(slash + 1) };
}

/** Why a digest is not one (`sha256:` and 64 hex digits, or another registered algorithm), if it is not. */
function digestProblem(digest: string): string | undefined {
  if (!DIGEST.test(digest)) return `"${digest}" is not a digest (write sha256: and 64 hex digits)`;
  const [algorithm = '', hex = ''] = digest.split(':');
  const length = DIGEST_HEX[algorithm];
  if (length === undefined) return `the digest algorithm "${algorithm}" is not one registries use (sha256, sha384, sha512)`;
  if (hex.length !== length || !/^[0-9a-f]+$/.test(hex)) return `a ${algorithm} digest has ${length} lowercase hex digits`;
  return undefined;
}

/** `docker.io/library/busybox:latest` shortened the way the docker CLI prints it: `busybox:latest`. */
export function familiarName(reference: ImageReference): string {
  const path =
    reference.domain === DEFAULT_DOMAIN ? reference.path.replace(/^library\/(?=[^/]+$)/, '') : `${reference.domain}/${reference.path}`;
  return `${path}${reference.tag !== undefined ? `:${reference.tag}` : ''}${reference.digest !== undefined ? `@${reference.digest}` : ''}`;
}

/** An image ID the engine accepts: `sha256:` and 64 hex digits, or the 64 digits alone. */
export function isImageId(text: string): boolean {
  return /^(?:sha256:)?[0-9a-f]{64}$/.test(text);
}
