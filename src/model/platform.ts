// An image's platform (OS, architecture, variant), as OCI indexes and image configs spell it.

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

/** Whether an image of platform `have` serves a request for `want` (no variant asked: any variant). */
export function samePlatform(have: Platform, want: Platform): boolean {
  return (
    have.os === want.os &&
    have.architecture === want.architecture &&
    (want.variant === undefined || have.variant === want.variant)
  );
}

/** `linux/arm64/v8`. */
export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}
