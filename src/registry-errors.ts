// Errors of the registry source (src/sources/registry*.ts): what a user can do when a registry
// refuses, limits, or cannot be reached. Like every LayerscopeError, bin/ prints message and hint
// and exits 2.

import { LayerscopeError } from './errors.js';

/** The Docker config or a credential helper could not give credentials. */
export class RegistryCredentialsError extends LayerscopeError {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** A registry refused the credentials layerscope found (or found none). */
export class RegistryUnauthorizedError extends LayerscopeError {
  readonly hint: string;
  constructor(
    readonly repository: string,
    /** Where credentials were looked for, and whether any were found. */
    readonly tried: string,
  ) {
    super(`the registry refused access to ${repository} (unauthorized; credentials tried: ${tried})`);
    this.hint = `log in with \`docker login ${repository.split('/')[0] ?? ''}\` (layerscope reads the same config), or check the repository name`;
  }
}

export class RegistryNotFoundError extends LayerscopeError {
  readonly hint: string;
  constructor(
    readonly what: string,
    hint: string,
  ) {
    super(`${what} not found in the registry`);
    this.hint = hint;
  }
}

export class RegistryRateLimitError extends LayerscopeError {
  readonly hint: string;
  constructor(
    readonly host: string,
    /** When the registry says to try again, if it said. */
    readonly retryAt?: string,
  ) {
    super(`the registry ${host} is rate limiting requests (HTTP 429)${retryAt ? `; it accepts them again ${retryAt}` : ''}`);
    this.hint = 'wait and try again; logged-in users get higher limits (docker login)';
  }
}

/** The registry could not be reached, spoke no TLS we trust, or is not a registry. */
export class RegistryUnavailableError extends LayerscopeError {
  constructor(
    readonly host: string,
    readonly reason: string,
    readonly hint: string,
  ) {
    super(`cannot read from the registry ${host}: ${reason}`);
  }
}
