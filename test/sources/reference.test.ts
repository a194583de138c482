import { describe, expect, it } from 'vitest';
import { familiarName, parseReference } from '../../src/sources/reference.js';
import { parseTarget } from '../../src/sources/image-target.js';
import { InvalidReferenceError } from '../../src/errors.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseReference', () => {
  it('adds docker.io and library/ to a short name, as docker pull does', () => {
    expect(parseReference('busybox')).toEqual({ ok: true, reference: { domain: 'docker.io', path: 'library/busybox' } });
    expect(parseReference('team/app:1.2')).toEqual({ ok: true, reference: { domain: 'docker.io', path: 'team/app', tag: '1.2' } });
    expect(parseReference('index.docker.io/busybox')).toEqual({ ok: true, reference: { domain: 'docker.io', path: 'library/busybox' } });
  });

  it('takes the first component as a registry only with a dot, a port or localhost', () => {
    expect(parseReference('localhost:5000/app:v1')).toEqual({ ok: true, reference: { domain: 'localhost:5000', path: 'app', tag: 'v1' } });
    expect(parseReference('127.0.0.1:5000/a/b/c')).toEqual({ ok: true, reference: { domain: '127.0.0.1:5000', path: 'a/b/c' } });
    expect(parseReference('localhost/app')).toEqual({ ok: true, reference: { domain: 'localhost', path: 'app' } });
    expect(parseReference('[::1]:5000/app')).toEqual({ ok: true, reference: { domain: '[::1]:5000', path: 'app' } });
    expect(parseReference('EVAL.com/bloat')).toEqual({ ok: true, reference: { domain: 'EVAL.com', path: 'bloat' } });
  });

  it('keeps a tag and a digest together', () => {
    expect(parseReference(`ghcr.io/o/r:v1@${DIGEST}`)).toEqual({ ok: true, reference: { domain: 'ghcr.io', path: 'o/r', tag: 'v1', digest: DIGEST } });
  });

  it('accepts the separators of the grammar and refuses the rest', () => {
    for (const good of ['a_b', 'a__b', 'a.b', 'a-b', 'a---b', 'a/b-c.d_e']) expect(parseReference(good).ok).toBe(true);
    for (const bad of ['a___b', 'a..b', '_a', 'a-', 'a//b', '/a', 'a/']) expect(parseReference(bad).ok).toBe(false);
  });

  it('says what is wrong with each non-reference', () => {
    const problem = (text: string): string => {
      const result = parseReference(text);
      return result.ok ? 'ok' : result.problem;
    };
    expect(problem('EVAL/bloat')).toBe('the repository name must be lowercase');
    expect(problem('Busybox')).toBe('the repository name must be lowercase');
    expect(problem('eval/bloat:')).toBe('the tag after ":" is empty');
    expect(problem('x@sha256:abc')).toBe('a sha256 digest has 64 lowercase hex digits');
    expect(problem('x@md5:abcd')).toMatch(/not one registries use/);
    expect(problem('x:-tag')).toMatch(/is not a tag/);
    expect(problem('../../etc')).toBe('".." is not a registry host');
    expect(problem('')).toBe('it is empty');
    expect(problem(`${'a'.repeat(256)}`)).toMatch(/longer than 255/);
  });

  it('prints names the way the docker CLI does', () => {
    const name = (text: string): string => {
      const result = parseReference(text);
      return result.ok ? familiarName(result.reference) : result.problem;
    };
    expect(name('docker.io/library/busybox:1')).toBe('busybox:1');
    expect(name('docker.io/team/app')).toBe('team/app');
    expect(name('localhost:5000/library/app')).toBe('localhost:5000/library/app');
  });
});

describe('parseTarget', () => {
  const refused = (text: string): InvalidReferenceError => {
    try {
      parseTarget(text);
    } catch (error) {
      if (error instanceof InvalidReferenceError) return error;
      throw error;
    }
    throw new Error(`${text} was accepted`);
  };

  it('reads dive\'s forms: docker://, podman://, docker-archive://', () => {
    expect(parseTarget('docker://busybox:latest')).toEqual({ kind: 'engine', reference: 'docker://busybox:latest', name: 'busybox:latest' });
    expect(parseTarget('podman://app')).toEqual({ kind: 'engine', reference: 'podman://app', name: 'app', engine: 'podman' });
    expect(parseTarget('docker-archive:///tmp/x.tar')).toEqual({ kind: 'docker-archive', reference: 'docker-archive:///tmp/x.tar', path: '/tmp/x.tar' });
    expect(parseTarget('docker-archive:x.tar')).toEqual({ kind: 'docker-archive', reference: 'docker-archive:x.tar', path: 'x.tar' });
  });

  it('reads registry:// references with their registry, repository, tag and digest', () => {
    expect(parseTarget('registry://127.0.0.1:5000/app:v1')).toEqual({
      kind: 'registry',
      reference: 'registry://127.0.0.1:5000/app:v1',
      image: { domain: '127.0.0.1:5000', path: 'app', tag: 'v1' },
    });
    expect(parseTarget(`registry://localhost:5000/app@${DIGEST}`)).toMatchObject({ image: { digest: DIGEST } });
  });

  it('takes image IDs for the engine', () => {
    expect(parseTarget(`sha256:${'b'.repeat(64)}`)).toMatchObject({ kind: 'engine' });
    expect(parseTarget('b'.repeat(64))).toMatchObject({ kind: 'engine' });
    expect(parseTarget('4ac5e')).toMatchObject({ kind: 'engine', name: '4ac5e' });
  });

  it('refuses names that are no image, with a hint, before anything is opened', () => {
    for (const text of ['docker://', 'docker://../../etc', 'http://example.com/x', '../../etc', 'EVAL/bloat', 'eval/bloat:', 'x@sha256:abc', 'registry://', 'registry://Host/UPPER', 'a b']) {
      const error = refused(text);
      expect(error.message).toMatch(/is not a valid image reference/);
      expect(error.hint).not.toBe('');
      expect(error.exitCode).toBe(2);
    }
    expect(refused('http://example.com/x').message).toContain('does not read http:// addresses');
    expect(refused('../../etc').hint).toBe('for a file or directory: docker-archive:../../etc or oci:../../etc');
  });
});
