// `layerscope build`: builds the final stage of a Dockerfile and each stage it copies from,
// through the engine's build API (dockerode), tagging each so the user can find them, with the
// build output shown compactly. The images are then read like any engine image.
//
// The engine can only build a stage up to a named target, so an unnamed stage the final one
// copies from gets a name (`FROM … AS layerscope-stage-N`) in a copy of the Dockerfile written
// to a temporary directory, sent with the context as the docker CLI sends a Dockerfile that lies
// outside it.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Docker } from './engine-client.js';
import { BuildFailedError, UsageError } from '../errors.js';
import { engineError } from './engine-errors.js';
import type { Endpoint } from './endpoint.js';
import { contextTar } from './build-context.js';
import { parseDockerfile, type DockerfileStages } from '../build/dockerfile.js';
import type { DockerfileProvenance } from '../analysis/provenance.js';
import { readDockerfile } from './dockerfile-file.js';
import { formatPlatform, type Platform } from '../model/platform.js';
import { byNumber } from '../model/order.js';

export interface BuildRequest {
  readonly context: string;
  /** -f; `CONTEXT/Dockerfile` by default. */
  readonly dockerfile?: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  /** -t for the final stage; `layerscope-build/<context directory>:latest` by default. */
  readonly tag?: string;
  readonly target?: string;
  /** The build containers' network (docker build --network), e.g. host. */
  readonly network?: string;
  /** The platform to build for (docker build --platform). */
  readonly platform?: Platform;
}

export interface BuiltStage {
  readonly index: number;
  readonly name: string;
  readonly tag: string;
  /** The image's size as the engine reports it. */
  readonly size: number;
}

export interface BuildResult {
  readonly final: BuiltStage;
  /** The stages the final one copies files from (COPY --from), largest image first. */
  readonly builders: readonly BuiltStage[];
  /** What the Dockerfile says of the final image's base and layers. */
  readonly provenance: DockerfileProvenance;
  /** The Dockerfile built, as named (-f, or CONTEXT/Dockerfile) and as read. */
  readonly dockerfile: { readonly path: string; readonly text: string };
}

const GENERATED_PREFIX = 'layerscope-stage-';

export async function buildStages(request: BuildRequest, endpoint: Endpoint, log: (line: string) => void): Promise<BuildResult> {
  const dockerfilePath = request.dockerfile ?? join(request.context, 'Dockerfile');
  const text = await readDockerfile(dockerfilePath, 'name it with -f PATH, or add a Dockerfile to the build context');
  const parsed = parseDockerfile(text, { buildArgs: request.buildArgs, file: basename(dockerfilePath), ...(request.target ? { target: request.target } : {}) });
  const finalStage = parsed.stages[parsed.target];
  if (!finalStage) throw new Error('the parser returns a target stage');
  const builderIndexes = [...new Set(finalStage.copiesFrom.flatMap((source) => (source.stage === undefined ? [] : [source.stage])))].sort(byNumber);

  const { text: named, names } = nameStages(text, parsed, builderIndexes);
  const finalTag = request.tag ?? `layerscope-build/${sanitiseRepo(basename(resolve(request.context)))}:latest`;
  let dockerfileForContext = request.dockerfile;
  let scratch: string | undefined;
  if (named !== text) {
    scratch = await mkdtemp(join(tmpdir(), 'layerscope-build-'));
    dockerfileForContext = join(scratch, 'Dockerfile');
    await writeFile(dockerfileForContext, named);
  }
  try {
    const builder = { docker: new Docker(endpoint.options), endpoint, request, parsed, names, log, ...(dockerfileForContext === undefined ? {} : { dockerfile: dockerfileForContext }) };
    const builders: BuiltStage[] = [];
    for (const index of builderIndexes) builders.push(await buildStage(builder, index, stageTag(finalTag, names[index] ?? `${index}`)));
    const final = await buildStage(builder, parsed.target, finalTag);
    // The stage worth comparing with is the one that did the building: usually the largest
    // (a stage that only fetches certificates copies across too, but saves nothing).
    builders.sort((a, b) => b.size - a.size || a.index - b.index);
    const baseImage = baseImageOf(parsed);
    return {
      final,
      builders,
      dockerfile: { path: dockerfilePath, text },
      provenance: { ...(baseImage === undefined ? {} : { baseImage }), stageNames: names },
    };
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

/** A stage's tag beside the final one's: `repo:tag-NAME` (`repo:latest-NAME` when untagged). */
function stageTag(finalTag: string, name: string): string {
  const colon = finalTag.lastIndexOf(':');
  const tagged = colon > finalTag.lastIndexOf('/');
  const repo = tagged ? finalTag.slice(0, colon) : finalTag;
  return `${repo}:${`${tagged ? finalTag.slice(colon + 1) : 'latest'}-${name}`.slice(0, 128)}`;
}

/** What every stage's build shares. */
interface StageBuilder {
  readonly docker: Docker;
  readonly endpoint: Endpoint;
  readonly request: BuildRequest;
  readonly parsed: DockerfileStages;
  readonly names: Readonly<Record<number, string>>;
  readonly log: (line: string) => void;
  /** The Dockerfile with names given to unnamed stages, when one was written. */
  readonly dockerfile?: string;
}

async function buildStage(builder: StageBuilder, index: number, tag: string): Promise<BuiltStage> {
  const { docker, endpoint, request, parsed, names } = builder;
  // The last stage needs no target (and may have no name); any other is built up to its name.
  const isLast = parsed.target === parsed.stages.length - 1;
  const target = index === parsed.target && isLast ? undefined : names[index];
  const name = names[index] ?? `${index}`;
  builder.log(`building stage ${name}${index === parsed.target ? ' (final)' : ''} → ${tag}`);
  const context = await contextTar(request.context, builder.dockerfile === undefined ? {} : { dockerfile: builder.dockerfile });
  const stream = await docker
    .buildImage(context.tar, {
      t: tag,
      dockerfile: context.dockerfile,
      ...(target ? { target } : {}),
      buildargs: request.buildArgs,
      rm: true,
      ...(request.network ? { networkmode: request.network } : {}),
      ...(request.platform ? { platform: formatPlatform(request.platform) } : {}),
    })
    .catch((error: unknown) => {
      throw engineError(error, endpoint, tag);
    });
  await followBuild(docker, stream, name, builder.log);
  const inspected = (await docker
    .getImage(tag)
    .inspect()
    .catch((error: unknown) => {
      throw engineError(error, endpoint, tag);
    })) as { Size?: number };
  return { index, name, tag, size: inspected.Size ?? 0 };
}

/** The external image the final stage starts from, through the stages it is FROM. */
export function baseImageOf(parsed: DockerfileStages): string | undefined {
  let stage = parsed.stages[parsed.target];
  for (let hops = 0; stage?.baseStage !== undefined && hops < parsed.stages.length; hops++) stage = parsed.stages[stage.baseStage];
  return stage?.base;
}

/** Names every stage in `needed` that has none, in a copy of the Dockerfile's text. */
export function nameStages(text: string, parsed: DockerfileStages, needed: readonly number[]): { text: string; names: Record<number, string> } {
  const lines = text.split('\n');
  const names: Record<number, string> = {};
  for (const stage of parsed.stages) {
    if (stage.name) {
      names[stage.index] = stage.name;
      continue;
    }
    if (!needed.includes(stage.index)) continue;
    const at = stage.line - 1;
    const line = lines[at] ?? '';
    if (/\\\s*$/.test(line)) {
      throw new UsageError(`stage ${stage.index} (line ${stage.line}) has no name and its FROM spans several lines`, 'name it: FROM … AS builder');
    }
    names[stage.index] = `${GENERATED_PREFIX}${stage.index}`;
    lines[at] = `${line.replace(/\s+$/, '')} AS ${GENERATED_PREFIX}${stage.index}`;
  }
  return { text: lines.join('\n'), names };
}

interface BuildMessage {
  readonly stream?: string;
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
}

/** Shows the builder's step lines (not every line of every RUN), and fails on its error. */
async function followBuild(docker: Docker, stream: NodeJS.ReadableStream, stage: string, log: (line: string) => void): Promise<void> {
  const tail: string[] = [];
  await new Promise<void>((done, fail) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null) => (error ? fail(new BuildFailedError(stage, error.message)) : done()),
      (message: BuildMessage) => {
        if (message.error !== undefined) {
          for (const line of tail) log(`  ${line}`);
          fail(new BuildFailedError(stage, (message.errorDetail?.message ?? message.error).trim()));
          return;
        }
        for (const line of (message.stream ?? '').split('\n')) {
          const trimmed = line.trimEnd();
          if (trimmed === '') continue;
          if (/^Step \d+\/\d+ : /.test(trimmed)) {
            log(`  [${stage}] ${trimmed.replace(/^Step (\d+\/\d+) : /, '$1 ')}`);
            tail.length = 0;
          } else {
            tail.push(trimmed);
            if (tail.length > 10) tail.shift();
          }
        }
      },
    );
  });
}

function sanitiseRepo(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || 'image';
}
