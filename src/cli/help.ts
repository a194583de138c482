// The help texts, generated from the flag table: a flag appears under each command that takes it.

import { buildOnly, flagRows, flagUsage, type Flag } from './flags.js';

type Row = Flag & { readonly name: string };

/** Option lines of a help text, flags padded to one column, defaults said. */
function optionLines(rows: readonly Row[]): string[] {
  const usages = rows.map((row) => flagUsage(row.name, row));
  const width = Math.max(...usages.map((usage) => usage.length)) + 2;
  return rows.map((row, i) => `  ${(usages[i] ?? '').padEnd(width)}${row.doc}${row.default !== undefined ? ` (default ${row.default})` : ''}`);
}

export function helpText(): string {
  return [
    'layerscope — explore a container image layer by layer, find the wasted bytes',
    '',
    'Usage:',
    '  layerscope IMAGE [options]',
    '  layerscope --demo [options]',
    '  layerscope build [-f Dockerfile] [--build-arg K=V] [-t TAG] CONTEXT   (see layerscope build --help)',
    '',
    'IMAGE:',
    '  name[:tag|@digest] or an image ID   read it from the Docker Engine (also docker://REF)',
    '  podman://REF                        read it from podman\'s socket',
    '  registry://HOST/REPO[:TAG|@DIGEST]  read it straight from a registry, no engine',
    '  docker-archive:PATH[:TAG]           a `docker save` tar, plain or gzip (also docker-archive://PATH)',
    '  oci:PATH[:TAG]                      an OCI image layout, directory or tar',
    '  dir:PATH                            skopeo\'s dir: layout (podman save --format docker-dir)',
    '',
    'Without --report, -o or --ci, the explorer opens when stdout is a terminal; into a pipe, the',
    'Markdown report is written.',
    '',
    'Options:',
    ...optionLines(flagRows().filter((row) => !buildOnly(row))),
    '',
    'Engine: --host, then DOCKER_HOST (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH), then the current',
    'Docker context, then unix:///var/run/docker.sock. Exit codes: 0 ok, 1 a --ci rule failed,',
    '2 usage or input error.',
    '',
  ].join('\n');
}

export function buildHelpText(): string {
  const rows = flagRows().filter((row) => row.modes.includes('build'));
  return [
    "layerscope build — build every stage a Dockerfile's final stage needs, then explore it",
    'compared with the stage(s) it copies from (or, with --report, -o or --ci, write the report)',
    '',
    'Usage:',
    '  layerscope build [options] CONTEXT',
    '',
    'Build options:',
    ...optionLines(rows.filter((row) => buildOnly(row))),
    '',
    'Explore and report options:',
    ...optionLines(rows.filter((row) => !buildOnly(row))),
    '',
  ].join('\n');
}
