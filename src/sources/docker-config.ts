// The docker CLI's own files, read as the CLI reads them: ~/.docker/config.json (or
// $DOCKER_CONFIG/config.json) for the current context and registry credentials, and a context's
// meta.json for its endpoint. One reader, checked against the fields layerscope uses, so a
// broken file is one error naming the file and the field wherever it is read.

import { join } from 'node:path';
import { checkShape, z, type Parsed } from '../archive/documents.js';
import { UsageError } from '../errors.js';

/** Where the docker CLI keeps its files, and how to read one (undefined when it does not exist). */
export interface DockerFiles {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  readonly readFile: (path: string) => string | undefined;
}

const authEntry = z.object({
  auth: z.string().optional(),
  identitytoken: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
});

const dockerConfigSchema = z.object({
  currentContext: z.string().optional(),
  auths: z.record(z.string(), authEntry).optional(),
  credsStore: z.string().optional(),
  credHelpers: z.record(z.string(), z.string()).optional(),
});

const contextMetaSchema = z.object({
  Endpoints: z
    .object({ docker: z.object({ Host: z.string().optional(), SkipTLSVerify: z.boolean().optional() }).optional() })
    .optional(),
});

export type DockerConfig = Parsed<typeof dockerConfigSchema>;
export type ContextMeta = Parsed<typeof contextMetaSchema>;

/** $DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir({ env, home }: Pick<DockerFiles, 'env' | 'home'>): string {
  return env.DOCKER_CONFIG || join(home, '.docker');
}

/** config.json and where it is; no config when the file does not exist. */
export function readDockerConfig(files: DockerFiles): { readonly path: string; readonly config: DockerConfig | undefined } {
  const path = join(dockerConfigDir(files), 'config.json');
  return { path, config: readChecked(files, path, dockerConfigSchema, 'fix or remove it (docker login writes it again)') };
}

/** A context's meta.json; undefined when the context does not exist. */
export function readContextMeta(files: DockerFiles, path: string): ContextMeta | undefined {
  return readChecked(files, path, contextMetaSchema, 'fix it, or remove the context with `docker context rm`');
}

function readChecked<S extends z.ZodTypeAny>(files: DockerFiles, path: string, schema: S, hint: string): Parsed<S> | undefined {
  const text = files.readFile(path);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not valid JSON`, hint);
  }
  const checked = checkShape(schema, json);
  if ('problem' in checked) throw new UsageError(`${path} is not a docker CLI file layerscope can read: ${checked.problem}`, hint);
  return checked.value;
}
