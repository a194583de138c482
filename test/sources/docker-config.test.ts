// The docker CLI's files are read once, the same way, by the endpoint (current context) and the
// registry credentials: a broken file is one UsageError naming the file (and the field), never a
// TypeError printed as a bug.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { resolveEndpoint } from '../../src/sources/endpoint.js';
import { findCredentials } from '../../src/sources/registry-credentials.js';

const files = (contents: Record<string, string>) => ({ env: {}, home: '/home/u', readFile: (path: string) => contents[path] });
const CONFIG = '/home/u/.docker/config.json';

async function problem(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("the docker CLI's config.json", () => {
  it.each([
    ['null', `${CONFIG} is not a docker CLI file layerscope can read: the document: expected object, received null`],
    ['[1]', `${CONFIG} is not a docker CLI file layerscope can read: the document: expected object, received array`],
    ['{"auths": "x"}', `${CONFIG} is not a docker CLI file layerscope can read: auths: expected object, received string`],
    ['{"currentContext": 7}', `${CONFIG} is not a docker CLI file layerscope can read: currentContext: expected string, received number`],
    ['{not json', `${CONFIG} is not valid JSON`],
  ])('%s gives the same one-line error to the endpoint and to the registry credentials', async (text, message) => {
    for (const run of [() => resolveEndpoint(undefined, files({ [CONFIG]: text })), () => findCredentials('127.0.0.1:5000', files({ [CONFIG]: text }))]) {
      const error = await problem(run);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).message).toBe(message);
    }
  });

  it("refuses a context's meta.json that is not JSON, naming it", async () => {
    const id = createHash('sha256').update('broken').digest('hex');
    const meta = `/home/u/.docker/contexts/meta/${id}/meta.json`;
    const error = await problem(() => resolveEndpoint(undefined, files({ [CONFIG]: '{"currentContext":"broken"}', [meta]: '{"Endpoints":' })));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(`${meta} is not valid JSON`);
  });
});
