// How a registry connection is trusted and how it fails: docker's loopback rule, the CAs docker
// trusts, and connection errors (TLS by cause, timeouts, refusals) as errors a user can act on.

import { readdirSync, readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { type LayerscopeError } from '../errors.js';
import { RegistryUnavailableError } from '../registry-errors.js';

const SYSTEM_CA_FILES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

export function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/** Node's CAs, the system's bundle and docker's /etc/docker/certs.d/HOST/*.crt: what docker trusts. */
export function trustedCertificates(domain: string): string[] {
  const files = [process.env.SSL_CERT_FILE, ...SYSTEM_CA_FILES].filter((file): file is string => Boolean(file));
  const system = files.map((file) => readText(file)).find((text) => text !== undefined);
  const dir = `/etc/docker/certs.d/${domain}`;
  let extra: string[] = [];
  try {
    extra = readdirSync(dir).filter((name) => name.endsWith('.crt')).flatMap((name) => readText(`${dir}/${name}`) ?? []);
  } catch {
    // no per-registry CAs
  }
  return [...rootCertificates, ...(system ? [system] : []), ...extra];
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

const TLS_CODES = /^(ERR_SSL_|ERR_TLS_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|CERT_|EPROTO$|HOSTNAME_MISMATCH)/;

function errorCode(error: unknown): string {
  const { code, cause } = error as { code?: unknown; cause?: { code?: unknown } };
  return String(cause?.code ?? code ?? '');
}

export function isTlsError(error: unknown): boolean {
  const original = (error as { original?: unknown }).original ?? error;
  return TLS_CODES.test(errorCode(original)) || /ECONNRESET|SocketError/.test(errorCode(original));
}

/** A failed connection as an error naming its cause; the original is kept for the http fallback. */
export function networkError(error: unknown, host: string, connection: { readonly unverified: boolean; readonly registry: boolean }): LayerscopeError {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  let result: RegistryUnavailableError;
  if (TLS_CODES.test(code)) {
    result = new RegistryUnavailableError(
      host,
      `TLS failed: ${code} (${message})`,
      connection.unverified
        ? 'its TLS is broken even unverified; check its certificate and TLS setup'
        : `trust its CA (${connection.registry ? `put it in /etc/docker/certs.d/${host}/ca.crt, ` : ''}the system store or NODE_EXTRA_CA_CERTS), or pass --tls-verify=false if you trust the network`,
    );
  } else if (/TIMEOUT/.test(code)) {
    result = new RegistryUnavailableError(host, `no answer in time (${code})`, 'check the network; if the registry is only slow, allow more with --timeout, e.g. --timeout 10m');
  } else {
    result = new RegistryUnavailableError(host, `${code || 'connection failed'}${message && !message.includes(code) ? ` (${message})` : ''}`, 'check the host, the port and the network');
  }
  return Object.assign(result, { original: error });
}
