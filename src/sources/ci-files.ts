// The CI gate's configuration files, read where the command runs: `.layerscope.yml`, and dive's
// `.dive-ci` (or the file --ci-config names, which must then exist, as in dive).

import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';

export interface CiFiles {
  readonly layerscopeYml?: string;
  readonly diveCi?: string;
}

export async function readCiFiles(options: { readonly diveCiPath?: string } = {}): Promise<CiFiles> {
  const layerscopeYml = await readOptional('.layerscope.yml');
  const diveCi =
    options.diveCiPath === undefined
      ? await readOptional('.dive-ci')
      : await readFile(options.diveCiPath, 'utf8').catch(() => {
          throw new UsageError(`cannot read the CI rules file ${options.diveCiPath}`, 'check the path given to --ci-config');
        });
  return { ...(layerscopeYml !== undefined ? { layerscopeYml } : {}), ...(diveCi !== undefined ? { diveCi } : {}) };
}

async function readOptional(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read ${path}: ${error.code ?? error.message}`, `check its permissions, or remove ${path}`);
  });
}
