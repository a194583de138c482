// Where an engine image's base ends, asked of the engine: the image a Dockerfile's FROM names (or an
// `org.opencontainers.image.base.name` label names), or else a local image that was not built here
// (no parent: pulled, loaded or imported) whose diff IDs are a prefix of this one's. Without either,
// the caller falls back to the history's shape (src/analysis/provenance.ts).

import { EngineTimeoutError } from '../errors.js';
import { engineClient, escapeName, type EngineClient } from './docker-engine.js';
import { engineImageListSchema, engineInspectSchema } from './engine-documents.js';
import type { BaseBoundary } from '../analysis/provenance.js';
import type { Endpoint } from './endpoint.js';

const BASE_NAME_KEY = 'org.opencontainers.image.base.name';

export interface BaseQuestion {
  /** The image's diff IDs, oldest first. */
  readonly diffIds: readonly string[];
  /** The base image as the Dockerfile's FROM names it (`layerscope build`). */
  readonly fromDockerfile?: string;
  /** The image's config labels (an annotation-style base name may be there). */
  readonly labels: Readonly<Record<string, string>>;
}

/** Through the engine client of the image read itself: the same idle timeout (--timeout), answers checked against their shapes. */
export async function baseFromEngine(question: BaseQuestion, endpoint: Endpoint, timeoutMs: number): Promise<BaseBoundary | undefined> {
  const engine = engineClient(endpoint, timeoutMs, 'the base image');
  const layersOf = (ref: string): Promise<readonly string[] | undefined> =>
    orNothing(engine.json(`/images/${escapeName(ref)}/json`, 'image inspect', engineInspectSchema).then((info) => info.RootFS?.Layers));
  const named = question.fromDockerfile ?? question.labels[BASE_NAME_KEY];
  if (named !== undefined && named !== 'scratch') {
    const layers = await layersOf(named);
    if (layers && isPrefix(layers, question.diffIds)) {
      return { layers: layers.length, name: named, method: question.fromDockerfile === undefined ? 'annotation' : 'dockerfile', sure: 'certain' };
    }
  }
  if (question.fromDockerfile === 'scratch') return { layers: 0, name: 'scratch', method: 'dockerfile', sure: 'certain' };
  return localPrefix(engine, layersOf, question.diffIds);
}

/** The longest local image (not built on this engine: no parent) whose layers are a proper prefix of these. */
async function localPrefix(engine: EngineClient, layersOf: (ref: string) => Promise<readonly string[] | undefined>, diffIds: readonly string[]): Promise<BaseBoundary | undefined> {
  const images = (await orNothing(engine.json('/images/json', 'image list', engineImageListSchema))) ?? [];
  let best: BaseBoundary | undefined;
  for (const summary of images) {
    if (summary.ParentId) continue;
    const layers = (await layersOf(summary.Id)) ?? [];
    if (layers.length === 0 || layers.length >= diffIds.length || !isPrefix(layers, diffIds)) continue;
    if (best && best.layers >= layers.length) continue;
    const name = summary.RepoTags?.find((tag) => tag !== '<none>:<none>');
    best = { layers: layers.length, ...(name ? { name } : {}), method: 'local-image', sure: 'likely' };
  }
  return best;
}

function isPrefix(prefix: readonly string[], of: readonly string[]): boolean {
  return prefix.length <= of.length && prefix.every((id, index) => of[index] === id);
}

/** An answer the base lookup can do without (a base that is not local, an odd answer) is nothing; an engine gone quiet is an error. */
async function orNothing<T>(answer: Promise<T>): Promise<T | undefined> {
  try {
    return await answer;
  } catch (error) {
    if (error instanceof EngineTimeoutError) throw error;
    return undefined;
  }
}
