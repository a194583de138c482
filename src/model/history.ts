// History steps from the image config, and which step made which layer: steps marked
// `empty_layer` (ENV, LABEL, CMD…) made none, the others made the layers in order — the rule
// the engine itself uses.

import type { HistoryStep } from './types.js';

interface HistoryJson {
  readonly created?: string;
  readonly created_by?: string;
  readonly comment?: string;
  readonly empty_layer?: boolean;
}

export interface MappedHistory {
  readonly steps: readonly HistoryStep[];
  /** The step that made each layer; undefined where the history is shorter than the layers. */
  readonly layerSteps: readonly (HistoryStep | undefined)[];
}

export function mapHistory(history: readonly HistoryJson[], layerCount: number): MappedHistory {
  const steps = history.map(
    (item): HistoryStep => ({
      createdBy: item.created_by ?? '',
      emptyLayer: item.empty_layer === true,
      ...(item.created ? { created: item.created } : {}),
      ...(item.comment ? { comment: item.comment } : {}),
    }),
  );
  const layerSteps = layerStepIndexes(steps, layerCount).map((at) => (at === undefined ? undefined : steps[at]));
  return { steps, layerSteps };
}

/** What a `created_by` string says about the instruction that made it. */
export interface StepForm {
  /** `RUN`, `COPY`, `ENV`…; undefined when the string is no builder's form (hand-made images, other tools). */
  readonly keyword?: string;
  /**
   * The rest, as the builder wrote it: a RUN's command line with any `|N K=V` build-arg prefix and
   * the shell (`/bin/sh -c make`), a classic COPY's `file:<hash> in /dest`, a BuildKit COPY's
   * `src… dest`; without the `# buildkit` marker.
   */
  readonly text: string;
  /** The string carried BuildKit's `# buildkit` marker. */
  readonly buildkit: boolean;
}

const KEYWORDS = new Set([
  'RUN', 'COPY', 'ADD', 'WORKDIR', 'ENV', 'LABEL', 'USER', 'EXPOSE', 'VOLUME', 'CMD', 'ENTRYPOINT', 'ARG',
  'SHELL', 'HEALTHCHECK', 'STOPSIGNAL', 'ONBUILD', 'MAINTAINER',
]);

/**
 * Reads a history step's `created_by` in the forms the builders write:
 * classic `/bin/sh -c #(nop)  ENV A=b` and `/bin/sh -c #(nop) COPY file:<hash> in /x ` (the prefix is
 * the stage's SHELL), classic `|1 V=1 /bin/sh -c make` for a RUN, and BuildKit's
 * `RUN /bin/sh -c make # buildkit`, `COPY a /b # buildkit`, `WORKDIR /app`, `ENV A=b`.
 */
export function stepForm(createdBy: string): StepForm {
  let text = createdBy.trim();
  const buildkit = /(^|\s)# buildkit$/.test(text);
  if (buildkit) text = text.replace(/\s*# buildkit$/, '');
  const nop = /^[^\n]*?#\(nop\)\s*([A-Za-z]+)(?:\s(.*))?$/s.exec(text);
  if (nop && KEYWORDS.has((nop[1] ?? '').toUpperCase())) {
    return { keyword: (nop[1] ?? '').toUpperCase(), text: (nop[2] ?? '').trim(), buildkit };
  }
  const written = /^([A-Za-z]+)(?:\s+(.*))?$/s.exec(text);
  if (written && KEYWORDS.has(written[1] ?? '')) return { keyword: written[1] ?? '', text: written[2] ?? '', buildkit };
  // The classic builder writes a RUN as the command itself, after the build args it saw.
  if (/^(\|\d+ |\/bin\/(ba)?sh -c )/.test(text)) return { keyword: 'RUN', text, buildkit };
  return { text, buildkit };
}

/**
 * Which history step made each layer: steps marked `empty_layer` made none, the others made the
 * layers in order. A history that does not add up (hand-made images, squashed layers) maps
 * nothing rather than pinning the wrong instruction on a layer.
 */
export function layerStepIndexes(steps: readonly Pick<HistoryStep, 'emptyLayer'>[], layerCount: number): readonly (number | undefined)[] {
  const making = steps.flatMap((step, at) => (step.emptyLayer ? [] : [at]));
  return making.length === layerCount ? making : new Array<undefined>(layerCount).fill(undefined);
}

/**
 * The Dockerfile instruction behind a `created_by` string, as a user wrote it:
 * `/bin/sh -c #(nop)  ENV A=b` → `ENV A=b`, `/bin/sh -c apt-get update` → `RUN apt-get update`,
 * `RUN /bin/sh -c make # buildkit` → `RUN make`. Unknown forms are returned trimmed.
 */
export function instructionOf(createdBy: string): string {
  const { keyword, text } = stepForm(createdBy);
  if (keyword === undefined) return text;
  if (keyword === 'RUN') return `RUN ${text.replace(/^(\|\d+ (\S+=\S*\s+)*)?\/bin\/(ba)?sh -c /, '').trim()}`;
  return `${keyword} ${text}`.trim();
}

/** An instruction on one line of at most `width` characters (whitespace collapsed, `…` when cut). */
export function shortInstruction(instruction: string, width: number): string {
  const oneLine = instruction.replace(/\s+/g, ' ').trim();
  return oneLine.length > width ? `${oneLine.slice(0, width - 1)}…` : oneLine;
}
