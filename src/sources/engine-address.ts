// An engine address as the docker CLI writes it (`unix:///var/run/docker.sock`, `tcp://host:2376`,
// `tcp://[::1]:2375`, `ssh://user@host:22`, `npipe:////./pipe/docker_engine`), parsed once, here,
// with a one-line reason for anything it cannot use. Pure: no I/O.

import { isIPv6 } from 'node:net';
import { UsageError } from '../errors.js';

export type EngineAddress =
  | { readonly scheme: 'unix' | 'npipe'; readonly path: string }
  | { readonly scheme: 'tcp'; readonly host: string; readonly port?: number; readonly secure?: boolean }
  | { readonly scheme: 'ssh'; readonly host: string; readonly port?: number; readonly user?: string };

const FORMS = 'write it as unix:///path/to/docker.sock, tcp://HOST:PORT, tcp://[IPv6]:PORT or ssh://[USER@]HOST[:PORT]';
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u009f]/;
const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;

export function parseEngineAddress(url: string, origin: string): EngineAddress {
  const fail = (reason: string): never => {
    throw new UsageError(`cannot use the engine address "${url}" (from ${origin}): ${reason}`, FORMS);
  };
  if (url === '') fail('it is empty');
  if (CONTROL_OR_SPACE.test(url)) fail('it contains a space or a control character');
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s.exec(url);
  if (!match) return fail('it has no scheme');
  const scheme = (match[1] ?? '').toLowerCase();
  const rest = match[2] ?? '';
  switch (scheme) {
    case 'unix':
      if (!rest.startsWith('/')) fail('a unix socket needs an absolute path, as in unix:///var/run/docker.sock');
      return { scheme, path: rest };
    case 'npipe':
      if (rest === '') fail('a named pipe needs a path, as in npipe:////./pipe/docker_engine');
      return { scheme, path: rest.replace(/\//g, '\\') };
    case 'tcp':
    case 'http':
    case 'https':
      return { scheme: 'tcp', ...hostAndPort(rest.replace(/\/$/, ''), fail), ...(scheme === 'tcp' ? {} : { secure: scheme === 'https' }) };
    case 'ssh': {
      const at = rest.lastIndexOf('@');
      const user = at < 0 ? undefined : decode(rest.slice(0, at), fail);
      if (user === '') fail('the user before @ is empty');
      return { scheme, ...hostAndPort(rest.slice(at + 1).replace(/\/$/, ''), fail), ...(user === undefined ? {} : { user }) };
    }
    default:
      return fail(`unsupported scheme ${scheme}://`);
  }
}

function hostAndPort(text: string, fail: (reason: string) => never): { host: string; port?: number } {
  if (text === '') fail('it names no host');
  if (/[/?#]/.test(text)) fail('an engine address has no path, query or fragment');
  let host: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) fail('the IPv6 address has no closing ]');
    host = text.slice(1, close);
    if (!isIPv6(host)) fail(`[${host}] is not an IPv6 address`);
    const after = text.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) fail('expected :PORT after the IPv6 address');
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const parts = text.split(':');
    if (parts.length > 2) fail('an IPv6 address goes in brackets, as in tcp://[::1]:2375');
    host = parts[0] ?? '';
    portText = parts[1];
    if (host === '') fail('it names no host');
    if (!HOST_NAME.test(host)) fail(`"${host}" is not a host name or address`);
  }
  if (portText === undefined) return { host };
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65535) fail(`the port "${portText}" is not a number from 1 to 65535`);
  return { host, port };
}

function decode(text: string, fail: (reason: string) => never): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return fail('the user name is not valid percent-encoding');
  }
}
