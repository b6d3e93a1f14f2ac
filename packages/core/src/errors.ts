// Typed domain errors with stable codes. The HTTP layer maps `kind` to a status in one place.
export type ErrorKind =
  | 'validation' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'method_not_allowed' // 405
  | 'conflict' // 409
  | 'payload_too_large' // 413
  | 'unsupported_media_type' // 415
  | 'unprocessable' // 422
  | 'rate_limited'; // 429

export class DomainError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly details: unknown;

  constructor(kind: ErrorKind, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'DomainError';
    this.kind = kind;
    this.code = code;
    this.details = details;
  }
}

export const validationError = (code: string, message: string, details?: unknown) =>
  new DomainError('validation', code, message, details);
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new DomainError('unprocessable', code, message, details);
export const notFound = (code: string, message: string, details?: unknown) => new DomainError('not_found', code, message, details);
export const forbidden = (code: string, message: string, details?: unknown) => new DomainError('forbidden', code, message, details);
export const conflict = (code: string, message: string, details?: unknown) =>
  new DomainError('conflict', code, message, details);

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
