import { describe, expect, it } from 'vitest';
import { EnginePermissionError, EngineUnavailableError, ImageNotFoundError } from '../../src/errors.js';
import { engineError } from '../../src/sources/engine-errors.js';
import type { Endpoint } from '../../src/sources/endpoint.js';

const endpoint: Endpoint = { url: 'unix:///var/run/docker.sock', origin: 'default', options: {} };
const failure = (fields: Record<string, unknown>): Error => Object.assign(new Error('engine said no'), fields);

describe('engine errors a user can act on', () => {
  it('turns a 404 into "image not found" with a docker pull hint', () => {
    const error = engineError(failure({ statusCode: 404 }), endpoint, 'app:1');
    expect(error).toBeInstanceOf(ImageNotFoundError);
    expect((error as ImageNotFoundError).hint).toContain('docker pull app:1');
  });

  it('turns EACCES on the socket into a permission error', () => {
    expect(engineError(failure({ code: 'EACCES' }), endpoint, 'x')).toBeInstanceOf(EnginePermissionError);
  });

  it('names the endpoint and where it came from when nothing answers', () => {
    const error = engineError(failure({ code: 'ECONNREFUSED' }), endpoint, 'x');
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect(error.message).toBe('cannot reach the Docker Engine at unix:///var/run/docker.sock (from default) (ECONNREFUSED)');
  });

  it('leaves anything unexpected as it is, to be shown as a bug', () => {
    const bug = new TypeError('undefined is not a function');
    expect(engineError(bug, endpoint, 'x')).toBe(bug);
  });
});
