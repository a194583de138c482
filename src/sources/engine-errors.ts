// The engine's failures as errors a user can act on: by socket error code, TLS failure, or HTTP
// status. Anything not recognised stays a bug and is shown with its stack.

import { EnginePermissionError, EngineSshError, EngineTlsError, EngineUnavailableError, ImageNotFoundError, LayerscopeError } from '../errors.js';
import type { Endpoint } from './endpoint.js';
import { SSH_FAILED } from './ssh-dial.js';

const CERT_PATH_HINT = 'check DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) or the context\'s TLS files, as `docker --tlsverify` would use them';

const PLAIN_PORT = ['the engine\'s port does not speak TLS', 'use tcp://HOST:2375 without DOCKER_TLS_VERIFY / DOCKER_CERT_PATH, or the engine\'s TLS port (usually 2376)'] as const;

/** TLS failures by OpenSSL / Node code: [cause, hint]. */
const TLS_FAILURES: Readonly<Record<string, readonly [string, string]>> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: ['the engine\'s certificate is not signed by the CA layerscope was given', CERT_PATH_HINT],
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: ['the engine\'s certificate is not signed by the CA layerscope was given', CERT_PATH_HINT],
  SELF_SIGNED_CERT_IN_CHAIN: ['the engine\'s certificate chain ends in a CA layerscope does not trust', CERT_PATH_HINT],
  DEPTH_ZERO_SELF_SIGNED_CERT: ['the engine presents a self-signed certificate layerscope does not trust', CERT_PATH_HINT],
  CERT_SIGNATURE_FAILURE: ['the engine\'s certificate signature does not verify', CERT_PATH_HINT],
  CERT_HAS_EXPIRED: ['the engine\'s certificate has expired', 'renew the engine\'s certificate'],
  CERT_NOT_YET_VALID: ['the engine\'s certificate is not valid yet', 'check the clocks of both machines'],
  ERR_TLS_CERT_ALTNAME_INVALID: ['the engine\'s certificate is for another host name', 'connect by a name the certificate lists, or re-issue it with this name'],
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: ['the engine requires a client certificate and none was sent', `put cert.pem and key.pem beside ca.pem; ${CERT_PATH_HINT}`],
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: ['the engine refused the handshake (a missing or unaccepted client certificate?)', CERT_PATH_HINT],
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: ['the engine does not trust the CA of the client certificate', `use a client certificate signed by the engine's CA; ${CERT_PATH_HINT}`],
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: ['the engine rejected the client certificate', CERT_PATH_HINT],
  ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR: ['the engine rejected the client certificate', CERT_PATH_HINT],
  ERR_SSL_WRONG_VERSION_NUMBER: PLAIN_PORT,
  ERR_SSL_PACKET_LENGTH_TOO_LONG: PLAIN_PORT,
  ERR_OSSL_PEM_NO_START_LINE: ['a TLS file (ca.pem, cert.pem or key.pem) is not a PEM certificate or key', CERT_PATH_HINT],
  ERR_OSSL_X509_KEY_VALUES_MISMATCH: ['key.pem does not belong to cert.pem', CERT_PATH_HINT],
};

/**
 * Turns the modem's errors into ones a user can act on; anything unexpected stays a bug.
 * `beforeAnswer`: the engine had not answered yet (a reset then is a refused handshake on TLS).
 */
export function engineError(error: unknown, endpoint: Endpoint, ref: string, beforeAnswer = false): Error {
  if (error instanceof LayerscopeError) return error;
  const { code, statusCode, message = '' } = error as { code?: string; statusCode?: number; message?: string };
  const where = `${endpoint.url} (from ${endpoint.origin})`;
  if (statusCode === 404) return new ImageNotFoundError(ref, endpoint.url);
  if (code === SSH_FAILED) return new EngineSshError(where, message);
  const tls = code === undefined ? undefined : TLS_FAILURES[code];
  if (tls) return new EngineTlsError(where, tls[0], tls[1]);
  if (/wrong version number|packet length too long/i.test(message)) return new EngineTlsError(where, ...PLAIN_PORT);
  if (beforeAnswer && endpoint.options.protocol === 'https' && (code === 'ECONNRESET' || /socket hang up/i.test(message))) {
    return new EngineTlsError(where, 'the engine closed the connection during TLS setup (it may not accept this client certificate)', CERT_PATH_HINT);
  }
  if (code?.startsWith('ERR_SSL_') || code?.startsWith('ERR_OSSL_') || code === 'EPROTO') {
    return new EngineTlsError(where, firstLine(message) || code, CERT_PATH_HINT);
  }
  if (statusCode === 400 && /HTTP request to an HTTPS server/i.test(message)) {
    return new EngineTlsError(where, 'the engine\'s port speaks TLS and layerscope did not', 'set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH, or use tcp://HOST:2376 with them');
  }
  if (code === 'EACCES' || code === 'EPERM') return new EnginePermissionError(endpoint.url);
  if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT' || code === 'EAI_AGAIN' || code === 'ENETUNREACH') {
    return new EngineUnavailableError(where, code === 'ENOENT' ? 'no such socket' : code);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE' || /socket hang up|aborted/i.test(message)) {
    return new EngineUnavailableError(where, 'the connection was lost while reading the image');
  }
  if (typeof statusCode === 'number') {
    return new EngineUnavailableError(where, `the engine answered ${statusCode}: ${firstLine(message)}`.trim());
  }
  return error instanceof Error ? error : new Error(String(error));
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}
