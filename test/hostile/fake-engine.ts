// A fake Docker Engine: a real HTTP server on 127.0.0.1 that misbehaves on purpose, one way per
// image name (`/images/<mode>/json`, `/images/<mode>/get`). It serves a real archive when asked
// to behave, so the same client code meets every failure mode.

import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const MODES = [
  'ok',
  'never-answers',
  'export-never-starts',
  'inspect-500',
  'inspect-wrong-shape',
  'inspect-not-json',
  'missing',
  'stall-after-headers',
  'stall-mid-export',
  'zeros-forever',
  'export-500',
  'reset-mid-export',
  'open-after-end',
] as const;
export type Mode = (typeof MODES)[number];

export interface FakeEngine {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startFakeEngine(archive: Buffer, diffIds: readonly string[]): Promise<FakeEngine> {
  const sockets = new Set<Socket>();
  const inspect = { Id: `sha256:${'e'.repeat(64)}`, Size: archive.length, Os: 'linux', Architecture: 'amd64', RootFS: { Type: 'layers', Layers: diffIds } };
  const server: Server = createServer((request, response) => {
    const match = /^\/images\/([a-z0-9-]+)\/(json|get|history)$/.exec(request.url ?? '');
    const mode = (match?.[1] ?? 'missing') as Mode;
    if (match?.[2] === 'get') exportAnswer(mode, archive, response);
    else inspectAnswer(mode, inspect, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function inspectAnswer(mode: Mode, inspect: object, response: ServerResponse): void {
  const json = (status: number, body: unknown): void => {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  switch (mode) {
    case 'never-answers':
      return; // the request is read, nothing is ever sent
    case 'inspect-500':
      return json(500, { message: 'internal error: the store is locked' });
    case 'inspect-wrong-shape':
      return json(200, { ...inspect, Size: 'big' });
    case 'inspect-not-json':
      response.writeHead(200, { 'Content-Type': 'text/html' });
      return void response.end('<html>proxy login</html>');
    case 'missing':
      return json(404, { message: 'No such image' });
    default:
      return json(200, inspect);
  }
}

function exportAnswer(mode: Mode, archive: Buffer, response: ServerResponse): void {
  switch (mode) {
    case 'export-never-starts':
      return; // as an engine still preparing a large export: not even the headers
    case 'export-500':
      response.writeHead(500, { 'Content-Type': 'application/json' });
      return void response.end(JSON.stringify({ message: 'failed to export: layer does not exist' }));
    case 'stall-after-headers':
      response.writeHead(200, { 'Content-Type': 'application/x-tar' });
      return void response.flushHeaders();
    case 'stall-mid-export':
      response.writeHead(200, { 'Content-Type': 'application/x-tar' });
      return void response.write(archive.subarray(0, Math.floor(archive.length / 2)));
    case 'reset-mid-export':
      response.writeHead(200, { 'Content-Type': 'application/x-tar' });
      response.write(archive.subarray(0, Math.floor(archive.length / 2)));
      return void setTimeout(() => response.socket?.destroy(), 100);
    case 'zeros-forever': {
      response.writeHead(200, { 'Content-Type': 'application/x-tar' });
      const zeros = Buffer.alloc(64 * 1024);
      const pump = (): void => {
        while (!response.destroyed && response.write(zeros));
        if (!response.destroyed) response.once('drain', pump);
      };
      return pump();
    }
    case 'open-after-end':
      // The whole archive, its end-of-archive marker included, then the connection kept open.
      response.writeHead(200, { 'Content-Type': 'application/x-tar' });
      return void response.write(archive);
    default:
      response.writeHead(200, { 'Content-Type': 'application/x-tar' });
      return void response.end(archive);
  }
}
