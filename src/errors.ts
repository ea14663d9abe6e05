/**
 * One error type for the whole service. The `code` is the public contract (CLI exit messages, GraphQL
 * `extensions.code`); the class is internal. Messages say what was expected and what arrived.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'LIMIT_EXCEEDED',
  'STORE_UNAVAILABLE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorContext {
  /** File being read, when the error comes from input data. */
  file?: string;
  /** Block (height or hash) being read. */
  block?: string;
  /** Transaction id being read. */
  tx?: string;
  /** Free-form extra detail safe to show a client. */
  [key: string]: unknown;
}

export class AriadneError extends Error {
  readonly code: ErrorCode;
  readonly context: ErrorContext;
  /** True when the same call may succeed later (a store that is down, a deadlock). */
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AriadneError';
    this.code = code;
    this.context = context;
    this.retriable = options.retriable ?? code === 'STORE_UNAVAILABLE';
  }

  /** Returns a copy whose context gains the given fields (used to add file/block names as errors bubble up). */
  withContext(extra: ErrorContext): AriadneError {
    const err = new AriadneError(this.code, this.message, { ...this.context, ...extra }, { cause: this.cause, retriable: this.retriable });
    err.stack = this.stack;
    return err;
  }

  /** "file x, block 7, tx abc: message" - the form the CLI prints. */
  describe(): string {
    const where = (['file', 'block', 'tx'] as const)
      .filter((k) => this.context[k] !== undefined)
      .map((k) => `${k} ${String(this.context[k])}`);
    return where.length > 0 ? `${where.join(', ')}: ${this.message}` : this.message;
  }
}

export const invalidInput = (message: string, context?: ErrorContext): AriadneError =>
  new AriadneError('INVALID_INPUT', message, context);

export const notFound = (message: string, context?: ErrorContext): AriadneError =>
  new AriadneError('NOT_FOUND', message, context);

export const limitExceeded = (message: string, context?: ErrorContext): AriadneError =>
  new AriadneError('LIMIT_EXCEEDED', message, context);

export function isAriadneError(err: unknown): err is AriadneError {
  return err instanceof AriadneError;
}

/** For exhaustive switches: the compiler proves this is never reached; at run time it names the value. */
export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`unreachable case: ${JSON.stringify(value)}`);
    this.name = 'UnreachableCaseError';
  }
}

/** Shortens a value for an error message so that a 1 MB blob does not end up in a log line. */
export function preview(value: unknown, max = 80): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  } catch {
    text = String(value);
  }
  if (text === undefined) text = String(value);
  return text.length > max ? `${text.slice(0, max)}...(${text.length} chars)` : text;
}
