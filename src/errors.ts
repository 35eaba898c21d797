/**
 * Errors that stop a command (as opposed to diagnostics about a case file, which are
 * data: see `diagnostics.ts`). Each has a stable `name`, says what happened, and
 * carries its `cause`; the CLI prints the cause chain and sets `process.exitCode`.
 */

export class ImrError extends Error {
  /** What to do about it, printed after the message. */
  readonly hint: string | undefined;

  constructor(name: string, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = name;
    this.hint = options.hint;
  }
}

/** No Chromium could be found or started. */
export class BrowserError extends ImrError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('BrowserError', message, options);
  }
}

/** A command was called wrongly (a missing or malformed argument); the CLI exits 2. */
export class UsageError extends ImrError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('UsageError', message, options);
  }
}

/** An input a command needs is missing or not what it should be (a tool, a folder, a file). */
export class InputError extends ImrError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('InputError', message, options);
  }
}

/** The archive could not be made (a letter it cannot read, the search index refused). */
export class ArchiveError extends ImrError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('ArchiveError', message, options);
  }
}

/** A file the letters embed (a font) is missing or not what it should be. */
export class AssetError extends ImrError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('AssetError', message, options);
  }
}

/** The configuration file is missing or invalid. */
export class ConfigError extends ImrError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('ConfigError', message, options);
  }
}

/** A letter could not be made (a stage got less than it needs); the build reports it and goes on. */
export class BuildError extends ImrError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('BuildError', message, options);
  }
}

/** Output could not be written (read-only folder, full disk, a corrupt manifest). */
export class OutputError extends ImrError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('OutputError', message, options);
  }
}

/** Formats an error and its cause chain, one line each. */
export function formatError(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  let depth = 0;
  while (current !== undefined && current !== null && depth < 8) {
    const prefix = depth === 0 ? '' : `${'  '.repeat(depth)}caused by: `;
    if (current instanceof Error) {
      // The message, never the class name: users act on what happened, not on our types.
      lines.push(`${prefix}${current.message}`);
      if (current instanceof ImrError && current.hint) lines.push(`${'  '.repeat(depth + 1)}${current.hint}`);
      current = current.cause;
    } else {
      lines.push(`${prefix}${String(current)}`);
      current = undefined;
    }
    depth++;
  }
  return lines.join('\n');
}

/** A public file about to be written holds a confidential value: the letter is not written (see `src/confidential/public-files.ts`). */
export class ConfidentialLeakError extends ImrError {
  /** One positioned diagnostic per value found, at the case file. */
  readonly diagnostics: import('./diagnostics.js').Diagnostic[];

  constructor(message: string, diagnostics: import('./diagnostics.js').Diagnostic[]) {
    super('ConfidentialLeakError', message, { hint: 'Remove the value from the case file (run `imr-letters check` to see where), then build again.' });
    this.diagnostics = diagnostics;
  }
}
