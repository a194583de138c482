// HTTP to one registry (the OCI distribution API), over undici: Node's own HTTP client, kept by
// the Node project, which streams bodies with back-pressure and takes a per-registry TLS setup
// (the system CAs, docker's certs.d, --tls-verify=false) that Node's global fetch cannot.
// It does the auth dance (a 401's WWW-Authenticate → a bearer token scoped to the repository, or
// basic auth), follows redirects itself (dropping credentials when the host changes), and
// turns failures into errors a user can act on.

import { Agent, request, type Dispatcher } from 'undici';
import { RegistryUnauthorizedError, RegistryRateLimitError, RegistryUnavailableError } from '../registry-errors.js';
import { isLoopback, isTlsError, networkError, trustedCertificates } from './registry-network.js';
import type { Credentials, FoundCredentials } from './registry-credentials.js';
import { DEFAULT_DOMAIN } from './reference.js';
import { MAX_DOCUMENT_BYTES as MAX_DOCUMENT } from '../archive/documents.js';
import { DEFAULT_TIMEOUT_MS } from './engine-timeout.js';

export interface RegistryResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Dispatcher.ResponseData['body'];
}

export interface RegistryClientOptions {
  readonly domain: string;
  /** false: accept any certificate (and plain HTTP), as docker does for an insecure registry. */
  readonly tlsVerify: boolean;
  /** Looked up on the first 401 only. */
  readonly credentials: () => Promise<FoundCredentials>;
  /** How long the registry may stay silent: no headers, or no bytes of a body (--timeout). */
  readonly timeoutMs?: number;
}

const MAX_REDIRECTS = 5;

export class RegistryClient {
  private readonly host: string;
  private readonly insecure: boolean;
  private readonly verifying: Dispatcher;
  private readonly trusting: Dispatcher | undefined;
  /** Settled once: blobs that start downloading together share one ping and one token per scope. */
  private base: Promise<string> | undefined;
  private readonly tokens = new Map<string, Promise<string>>();
  private found: FoundCredentials | undefined;

  /** The registry as the reference names it: `docker.io`, `127.0.0.1:5000`. */
  get domain(): string {
    return this.options.domain;
  }

  constructor(private readonly options: RegistryClientOptions) {
    this.host = options.domain === DEFAULT_DOMAIN ? 'registry-1.docker.io' : options.domain;
    // Docker's rule: loopback registries and --insecure ones may be plain HTTP or unverified TLS.
    this.insecure = !options.tlsVerify || isLoopback(this.host);
    const silence = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timeouts = { headersTimeout: silence, bodyTimeout: silence, keepAliveTimeout: 1_000 };
    this.verifying = new Agent({ ...timeouts, connect: { timeout: 15_000, ca: trustedCertificates(options.domain) } });
    this.trusting = this.insecure ? new Agent({ ...timeouts, connect: { timeout: 15_000, rejectUnauthorized: false } }) : undefined;
  }

  /** GET a registry path (`/v2/<repo>/manifests/<ref>`) with the repository's pull scope. */
  async get(path: string, repository: string, accept?: string): Promise<RegistryResponse> {
    this.base ??= this.ping();
    const base = await this.base;
    const scope = `repository:${repository}:pull`;
    const headers: Record<string, string> = accept ? { accept } : {};
    const pending = this.tokens.get(scope);
    const cached = pending ? await pending : undefined;
    let response = await this.send(`${base}${path}`, cached ? { ...headers, authorization: cached } : headers);
    if (response.status === 401) {
      const challenge = header(response, 'www-authenticate');
      await response.body.dump();
      // A token another request is already fetching (or fetched since) is the one to use.
      const current = this.tokens.get(scope);
      const authorization = current && current !== pending ? current : this.authorize(challenge, scope, repository);
      this.tokens.set(scope, authorization);
      response = await this.send(`${base}${path}`, { ...headers, authorization: await authorization });
      if (response.status === 401) {
        await response.body.dump();
        throw new RegistryUnauthorizedError(`${this.options.domain}/${repository}`, this.tried());
      }
    }
    if (response.status === 429) {
      await response.body.dump();
      throw new RegistryRateLimitError(this.options.domain, retryAt(response));
    }
    return response;
  }

  async close(): Promise<void> {
    await Promise.all([this.verifying.close(), this.trusting?.close()]);
  }

  /** The first request, `GET /v2/`: chooses https or (for an insecure registry) http, and checks it is a registry. */
  private async ping(): Promise<string> {
    let base = `https://${this.host}`;
    let response: RegistryResponse;
    try {
      response = await this.send(`${base}/v2/`, {});
    } catch (error) {
      if (!this.insecure || !isTlsError(error)) throw error;
      base = `http://${this.host}`;
      response = await this.send(`${base}/v2/`, {});
    }
    const version = header(response, 'docker-distribution-api-version');
    await response.body.dump();
    if (response.status !== 200 && response.status !== 401 && !version?.startsWith('registry/2')) {
      throw new RegistryUnavailableError(this.options.domain, `it is not a registry (GET /v2/ answered HTTP ${response.status})`, 'check the host and port: registry://HOST[:PORT]/REPO:TAG');
    }
    return base;
  }

  /** One request, following redirects; credentials go only to the origin they were made for. */
  private async send(url: string, headers: Record<string, string>): Promise<RegistryResponse> {
    let current = new URL(url);
    const origin = current.origin;
    for (let hop = 0; ; hop++) {
      const sameOrigin = current.origin === origin;
      const { authorization: _, ...anonymous } = headers;
      const dispatcher = this.dispatcherFor(current, sameOrigin);
      let response: RegistryResponse;
      try {
        const answer = await request(current, { method: 'GET', headers: sameOrigin ? headers : anonymous, dispatcher });
        response = { status: answer.statusCode, headers: answer.headers, body: answer.body };
      } catch (error) {
        throw networkError(error, current.host, { unverified: dispatcher === this.trusting, registry: sameOrigin });
      }
      const location = header(response, 'location');
      if (response.status < 300 || response.status >= 400 || !location) return response;
      await response.body.dump();
      if (hop >= MAX_REDIRECTS) throw new RegistryUnavailableError(this.options.domain, `more than ${MAX_REDIRECTS} redirects for ${url}`, 'the registry or its storage is misconfigured');
      current = new URL(location, current);
    }
  }

  /**
   * Unchecked TLS for the registry itself when it is insecure (loopback, or --tls-verify=false);
   * other origins (blob storage, a token server) only with --tls-verify=false.
   */
  private dispatcherFor(url: URL, registry: boolean): Dispatcher {
    return this.trusting && (registry || !this.options.tlsVerify) && url.protocol === 'https:' ? this.trusting : this.verifying;
  }

  private async authorize(challenge: string | undefined, scope: string, repository: string): Promise<string> {
    this.found ??= await this.options.credentials();
    const credentials = this.found.credentials;
    const parsed = challenge ? parseChallenge(challenge) : undefined;
    if (parsed?.scheme === 'basic') {
      if (credentials?.kind !== 'basic') throw new RegistryUnauthorizedError(`${this.options.domain}/${repository}`, this.tried());
      return basic(credentials);
    }
    if (parsed?.scheme !== 'bearer' || !parsed.params.realm) {
      throw new RegistryUnavailableError(this.options.domain, 'it asked for credentials without saying how (no usable WWW-Authenticate)', 'check that registry://HOST is a registry');
    }
    return `Bearer ${await this.fetchToken(parsed.params, scope, credentials, repository)}`;
  }

  private async fetchToken(params: Readonly<Record<string, string>>, scope: string, credentials: Credentials | undefined, repository: string): Promise<string> {
    const url = new URL(params.realm ?? '');
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', scope);
    // An identity token is an OAuth refresh token: the token server takes it in a form POST.
    const form =
      credentials?.kind === 'identity-token'
        ? new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.token, client_id: 'layerscope', service: params.service ?? '', scope }).toString()
        : undefined;
    const headers: Record<string, string> =
      credentials?.kind === 'basic' ? { authorization: basic(credentials) } : form ? { 'content-type': 'application/x-www-form-urlencoded' } : {};
    let answer: Dispatcher.ResponseData;
    try {
      answer = await request(url, { method: form ? 'POST' : 'GET', headers, ...(form ? { body: form } : {}), dispatcher: this.dispatcherFor(url, false) });
    } catch (error) {
      throw networkError(error, url.host, { unverified: this.dispatcherFor(url, false) === this.trusting, registry: false });
    }
    if (answer.statusCode === 401 || answer.statusCode === 403) {
      await answer.body.dump();
      throw new RegistryUnauthorizedError(`${this.options.domain}/${repository}`, this.tried());
    }
    const text = (await readDocument(answer.body, url.host, 'the token server\'s answer')).toString('utf8');
    const body = json(text) as { token?: unknown; access_token?: unknown } | undefined;
    const token = typeof body?.token === 'string' ? body.token : typeof body?.access_token === 'string' ? body.access_token : undefined;
    if (answer.statusCode !== 200 || !token) {
      throw new RegistryUnavailableError(this.options.domain, `its token server ${url.host} answered HTTP ${answer.statusCode} without a token`, 'try again later; the registry\'s auth service may be down');
    }
    return token;
  }

  private tried(): string {
    return this.found?.summary ?? 'none looked up';
  }
}

/** A small response body whole; a larger one than any image document is refused, not buffered. */
export async function readDocument(body: AsyncIterable<Buffer> & { destroy(): unknown }, host: string, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    length += chunk.length;
    if (length > MAX_DOCUMENT) {
      body.destroy();
      throw new RegistryUnavailableError(host, `${what} is larger than ${MAX_DOCUMENT >> 20} MB`, 'this is not an image document; check the reference');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, length);
}

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function header(response: { readonly headers: RegistryResponse['headers'] }, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `Bearer realm="https://auth",service="registry",scope="…"` → its scheme and parameters. */
export function parseChallenge(text: string): { readonly scheme: string; readonly params: Readonly<Record<string, string>> } {
  const space = text.indexOf(' ');
  const scheme = (space === -1 ? text : text.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const match of text.slice(space + 1).matchAll(/([a-zA-Z_]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[(match[1] ?? '').toLowerCase()] = (match[2] ?? match[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return { scheme, params };
}

function basic(credentials: { readonly username: string; readonly password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

function retryAt(response: RegistryResponse): string | undefined {
  const after = header(response, 'retry-after');
  if (after && /^\d+$/.test(after)) return `in ${after} s (${new Date(Date.now() + Number(after) * 1000).toISOString()})`;
  if (after && !Number.isNaN(Date.parse(after))) return `at ${new Date(after).toISOString()}`;
  const reset = header(response, 'ratelimit-reset') ?? header(response, 'x-ratelimit-reset');
  if (reset && /^\d+$/.test(reset)) return `at ${new Date(Number(reset) * 1000).toISOString()}`;
  return undefined;
}
