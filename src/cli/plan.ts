// What a command line asks for: one shape per command, so each runner receives exactly the
// fields it uses and a flag cannot land on a command that ignores it.

import type { GateFlags } from '../report/ci.js';
import type { ReportFormat } from '../report/render.js';
import type { BuildRequest } from '../sources/engine-build.js';
import type { ImageTarget } from '../sources/image-target.js';
import type { DockerfileProvenance } from '../analysis/provenance.js';
import type { ReadChoices } from '../sources/read-image.js';

export type { ReportFormat };

/** The Dockerfile the image was built from, to place findings on its lines. */
export interface DockerfileChoice {
  readonly path: string;
  /** Its text, when already read (`layerscope build`). */
  readonly text?: string;
  /** The build args the image was built with, when known (`layerscope build`): they change the paths ARG substitutes. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** The stage built (--target of layerscope build); otherwise the best-fitting stage is found. */
  readonly target?: string;
}

export interface HelpPlan {
  readonly command: 'help';
  readonly topic: 'main' | 'build';
}

export interface VersionPlan {
  readonly command: 'version';
}

/** A stage the target copies from: the image, and the stage's name (the reference for --builder). */
export interface StageTarget {
  readonly name: string;
  readonly target: ImageTarget;
}

interface ImagePlan {
  readonly target: ImageTarget;
  /** --builder (repeatable), or the stages `layerscope build` built: the images to compare the target with. */
  readonly builders?: readonly StageTarget[];
  /** What `layerscope build` knows from the Dockerfile: the final stage's base image and the names it gave the stages. */
  readonly provenance?: DockerfileProvenance;
  readonly read: ReadChoices;
  /** Length of the largest-files lists in a report. */
  readonly top: number;
}

export interface ExplorePlan extends ImagePlan {
  readonly command: 'explore';
  /** The explorer turns on the terminal's mouse reports for the wheel (off: text selection as usual). */
  readonly mouse: boolean;
  /** The Dockerfile `layerscope build` just built (read already): layers show their lines and origins. */
  readonly dockerfile?: DockerfileChoice & { readonly text: string };
}

export interface ReportPlan extends ImagePlan {
  readonly command: 'report';
  readonly format: ReportFormat;
  /** Undefined: stdout (with --ci: no report, only the verdict). */
  readonly output?: string;
  /** --compare: another version of the image, for a before/after section. */
  readonly compare?: ImageTarget;
  /** --ci: the gate's thresholds from flags; the files are read where the command runs. */
  readonly ci?: { readonly flags: GateFlags; readonly diveCiPath?: string };
  /** true / false when forced by a flag; undefined: only when stderr is a terminal. */
  readonly progress?: boolean;
  /** --dockerfile (implicit after `layerscope build`). */
  readonly dockerfile?: DockerfileChoice;
}

/** `layerscope build`: what to build, then what to do with the images built (they become target and builder). */
export interface BuildPlan {
  readonly command: 'build';
  readonly build: BuildRequest;
  readonly then: Omit<ExplorePlan, 'target' | 'builders' | 'provenance' | 'dockerfile'> | Omit<ReportPlan, 'target' | 'builders' | 'provenance'>;
}

export type Plan = HelpPlan | VersionPlan | ExplorePlan | ReportPlan | BuildPlan;

/** What the parser needs to know of where it runs: whether the explorer can open (stdout is a terminal). */
export interface ParseContext {
  readonly interactive: boolean;
}
