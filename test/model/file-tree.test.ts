import { describe, expect, it } from 'vitest';
import { buildFileTree, findNode, visibleVersion, visitMerged, type FileTree } from '../../src/model/file-tree.js';
import { countChanges, layerChanges } from '../../src/model/layer-changes.js';
import { dir, file, opaque, parseSpec, whiteout, type TarEntrySpec } from '../helpers/archives.js';

async function treeOf(layers: TarEntrySpec[][]): Promise<FileTree> {
  return buildFileTree(await parseSpec({ layout: 'docker-save', images: [{ layers }] }));
}

/** The merged tree after `layer` as `path type size` lines; implicit directories say `dir*`. */
function merged(tree: FileTree, layer = tree.layerCount - 1): string[] {
  const lines: string[] = [];
  visitMerged(tree, layer, (node, version) => {
    lines.push(version?.entry ? `${node.path} ${version.entry.type} ${version.entry.size}` : `${node.path} dir*`);
  });
  return lines;
}

describe('the merged tree (overlay rules)', () => {
  it('shows a later version of a file over an earlier one', async () => {
    const tree = await treeOf([[dir('etc'), file('etc/motd', 'one')], [file('etc/motd', 'three')]]);
    expect(merged(tree, 0)).toEqual(['etc dir 0', 'etc/motd file 3']);
    expect(merged(tree)).toEqual(['etc dir 0', 'etc/motd file 5']);
  });

  it('removes a whited-out file, and a whited-out directory with everything below it', async () => {
    const tree = await treeOf([
      [dir('a'), file('a/keep', 'k'), file('a/gone', 'g'), dir('build'), dir('build/obj'), file('build/obj/x.o', 'o')],
      [dir('a'), whiteout('a/gone'), whiteout('build')],
    ]);
    expect(merged(tree)).toEqual(['a dir 0', 'a/keep file 1']);
  });

  it('hides lower contents of an opaque directory but keeps what the same layer put there', async () => {
    const tree = await treeOf([
      [dir('opq'), file('opq/old1', '1'), dir('opq/sub'), file('opq/sub/old2', '22')],
      [dir('opq'), opaque('opq'), file('opq/new', 'new')],
    ]);
    expect(merged(tree)).toEqual(['opq dir 0', 'opq/new file 3']);
    expect(merged(tree, 0)).toContain('opq/sub/old2 file 2');
  });

  it('hides the contents of a directory replaced by a file, and shows them again only if re-added', async () => {
    const tree = await treeOf([
      [dir('d'), file('d/child', 'c')],
      [file('d', 'now a file')],
      [whiteout('d'), dir('d'), file('d/again', 'a')],
    ]);
    expect(merged(tree, 1)).toEqual(['d file 10']);
    expect(merged(tree, 2)).toEqual(['d dir 0', 'd/again file 1']);
  });

  it('brings back a path that was deleted and then written again', async () => {
    const tree = await treeOf([[file('f', 'v1')], [whiteout('f')], [file('f', 'v3!')]]);
    expect(merged(tree, 1)).toEqual([]);
    expect(merged(tree, 2)).toEqual(['f file 3']);
    const node = findNode(tree, 'f');
    expect(node && visibleVersion(node, 1)).toBeUndefined();
    expect(node && visibleVersion(node, 2)?.layer).toBe(2);
  });

  it('creates parent directories a tar leaves out, as extraction does', async () => {
    const tree = await treeOf([[file('usr/local/bin/tool', 'xyz')]]);
    expect(merged(tree)).toEqual(['usr dir*', 'usr/local dir*', 'usr/local/bin dir*', 'usr/local/bin/tool file 3']);
  });
});

describe('what a layer changed', () => {
  it('counts added, modified and removed paths, every path of a removed subtree included', async () => {
    const tree = await treeOf([
      [dir('app'), file('app/a', '1'), dir('app/cache'), file('app/cache/x', '2'), file('app/cache/y', '3')],
      [dir('app'), file('app/a', 'changed'), file('app/b', 'new'), whiteout('app/cache')],
    ]);
    expect(countChanges(tree, 0)).toEqual({ added: 5, modified: 0, removed: 0 });
    // app and app/a are rewritten, app/b is new, app/cache and its two files are gone.
    expect(countChanges(tree, 1)).toEqual({ added: 1, modified: 2, removed: 3 });
    const kinds = new Map([...layerChanges(tree, 1)].map(([node, kind]) => [node.path, kind]));
    expect(kinds.get('app/cache/y')).toBe('removed');
    expect(kinds.get('app/b')).toBe('added');
  });

  it('counts a whited-out file as removed, and a directory replaced by a file as modified with its contents removed', async () => {
    const tree = await treeOf([
      [file('etc/motd', 'hi'), dir('data'), file('data/x', '1')],
      [whiteout('etc/motd'), file('data', 'now a file')],
    ]);
    const kinds = new Map([...layerChanges(tree, 1)].map(([node, kind]) => [node.path, kind]));
    expect(Object.fromEntries(kinds)).toEqual({ data: 'modified', 'data/x': 'removed', 'etc/motd': 'removed' });
  });

  it('counts what an opaque directory hid as removed', async () => {
    const tree = await treeOf([
      [dir('opq'), file('opq/old1', '1'), file('opq/old2', '2')],
      [dir('opq'), opaque('opq'), file('opq/new', '3')],
    ]);
    expect(countChanges(tree, 1)).toEqual({ added: 1, modified: 1, removed: 2 });
  });
});

describe('versions as the tree stores them', () => {
  /** Each version of a node as `layer:what`, through versionCount/version(i). */
  const versionsOf = (tree: FileTree, path: string): string[] => {
    const node = findNode(tree, path);
    if (!node) return [];
    return Array.from({ length: node.versionCount }, (_, i) => {
      const version = node.version(i);
      const what = [version.entry ? `${version.entry.type} ${version.entry.size}` : '', version.whiteout ? 'whiteout' : '', version.opaque ? 'opaque' : ''];
      return `${version.layer}:${what.filter(Boolean).join('+')}`;
    });
  };

  it('keeps one version per layer that touched a path, ascending, the same through versions and version(i)', async () => {
    // a: written in 0, rewritten in 2, whited out in 3; d: made opaque in 1 with a file below; x only below.
    const tree = await treeOf([
      [file('a', '1'), dir('d'), file('d/old', 'o')],
      [dir('d'), opaque('d'), file('d/new', 'nn')],
      [file('a', '333')],
      [whiteout('a')],
    ]);
    expect(versionsOf(tree, 'a')).toEqual(['0:file 1', '2:file 3', '3:whiteout']);
    expect(versionsOf(tree, 'd')).toEqual(['0:dir 0', '1:dir 0+opaque']);
    expect(versionsOf(tree, 'd/new')).toEqual(['1:file 2']);
    const a = findNode(tree, 'a');
    expect(a?.versions.map((version) => version.layer)).toEqual([0, 2, 3]);
    expect(a?.versions[1]).toBe(a?.version(1));
    // The root and directories no tar names have no version.
    expect(tree.root.versionCount).toBe(0);
    expect(tree.root.versions).toEqual([]);
  });

  it('keeps the entry, not the whiteout, when one layer does both to a path', async () => {
    const tree = await treeOf([[file('f', 'old')], [whiteout('f'), file('f', 'new!')]]);
    expect(versionsOf(tree, 'f')).toEqual(['0:file 3', '1:file 4']);
    expect(tree.touched.map((nodes) => nodes.map((node) => node.path))).toEqual([['f'], ['f']]);
  });
});
