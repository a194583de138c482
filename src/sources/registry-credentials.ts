// Registry credentials found where the docker CLI finds them: $DOCKER_CONFIG/config.json (else
// ~/.docker/config.json), a per-registry credHelpers entry, else the credsStore, else the
// base64 `auth` in `auths`. Helpers run as `docker-credential-NAME get`, the server on stdin.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { RegistryCredentialsError } from '../registry-errors.js';
import { readDockerConfig, type DockerConfig } from './docker-config.js';
import { DEFAULT_DOMAIN } from './reference.js';

export type Credentials =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  /** An OAuth refresh token (`docker login` to a registry that hands one out). */
  | { readonly kind: 'identity-token'; readonly username: string; readonly token: string };

export interface FoundCredentials {
  readonly credentials?: Credentials;
  /** Where they were looked for and what was found, for an "unauthorized" message. */
  readonly summary: string;
}

export interface CredentialEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  readonly readFile: (path: string) => string | undefined;
  /** Runs `docker-credential-NAME get` with the server on stdin; resolves its stdout. */
  readonly runHelper?: (helper: string, server: string) => Promise<string>;
}

/** The key `docker login` stores Docker Hub under, and the names it answers to. */
const HUB_KEY = 'https://index.docker.io/v1/';
const HUB_ALIASES = new Set([DEFAULT_DOMAIN, 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

export async function findCredentials(domain: string, environment: CredentialEnvironment): Promise<FoundCredentials> {
  const { path, config } = readDockerConfig(environment);
  if (config === undefined) return { summary: `none (no ${path})` };
  const hub = HUB_ALIASES.has(domain);
  const server = hub ? HUB_KEY : domain;
  const helper = config.credHelpers?.[domain] ?? (hub ? config.credHelpers?.[HUB_KEY] : undefined) ?? config.credsStore;
  if (helper) {
    return found(`credential helper docker-credential-${helper} (from ${path})`, await fromHelper(helper, server, environment));
  }
  const entry = authsEntry(config, domain, hub);
  if (!entry) return { summary: `none (no entry for ${domain} in the auths of ${path})` };
  return found(`auths in ${path}`, fromAuthEntry(entry, path));
}

function found(source: string, credentials: Credentials | undefined): FoundCredentials {
  if (!credentials) return { summary: `${source}: none found` };
  return { credentials, summary: `${source}: found for ${credentials.kind === 'basic' ? `user ${credentials.username}` : 'an identity token'}` };
}

/** The `auths` entry for a registry: keyed by host, or by a URL of it (`https://host/v1/`), as the CLI accepts. */
function authsEntry(config: DockerConfig, domain: string, hub: boolean): NonNullable<DockerConfig['auths']>[string] | undefined {
  const auths = config.auths ?? {};
  for (const [key, entry] of Object.entries(auths)) {
    const host = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    if (host === domain || (hub && HUB_ALIASES.has(host))) return entry;
  }
  return undefined;
}

function fromAuthEntry(entry: NonNullable<DockerConfig['auths']>[string], path: string): Credentials | undefined {
  let username = entry.username ?? '';
  let password = entry.password ?? '';
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new RegistryCredentialsError(`an auth entry in ${path} is not base64 of user:password`, 'log in again with docker login');
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (entry.identitytoken) return { kind: 'identity-token', username, token: entry.identitytoken };
  return username ? { kind: 'basic', username, password } : undefined;
}

async function fromHelper(helper: string, server: string, environment: CredentialEnvironment): Promise<Credentials | undefined> {
  const run = environment.runHelper ?? runCredentialHelper;
  let output: string;
  try {
    output = await run(helper, server);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Helpers say this (and exit 1) for a server they hold nothing for.
    if (/credentials not found/i.test(message)) return undefined;
    if ((error as { code?: unknown }).code === 'ENOENT') {
      throw new RegistryCredentialsError(`the credential helper docker-credential-${helper} is not on PATH`, 'install it, or remove credsStore/credHelpers from the Docker config');
    }
    throw new RegistryCredentialsError(`the credential helper docker-credential-${helper} failed: ${firstLine(message)}`, `run \`echo ${server} | docker-credential-${helper} get\` to see why`);
  }
  let parsed: { Username?: unknown; Secret?: unknown };
  try {
    parsed = JSON.parse(output) as typeof parsed;
  } catch {
    throw new RegistryCredentialsError(`the credential helper docker-credential-${helper} did not answer JSON`, `run \`echo ${server} | docker-credential-${helper} get\` to see what it prints`);
  }
  const username = typeof parsed.Username === 'string' ? parsed.Username : '';
  const secret = typeof parsed.Secret === 'string' ? parsed.Secret : '';
  if (secret === '') return undefined;
  return username === '<token>' ? { kind: 'identity-token', username: '', token: secret } : { kind: 'basic', username, password: secret };
}

function runCredentialHelper(helper: string, server: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(`docker-credential-${helper}`, ['get'], { timeout: 30_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(new Error(`${stdout}${stderr}`.trim() || error.message), { code: (error as { code?: unknown }).code }));
      else resolve(stdout);
    });
    child.stdin?.end(server);
  });
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
