/**
 * A refusal the domain understands. `code` is stable (clients and tests match on it); `field` names the
 * input at fault so the API can say which one. Routes turn it into application/problem+json.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly details: { field?: string; status?: number; [key: string]: unknown } = {},
    message?: string,
  ) {
    super(message ?? code);
    this.name = 'DomainError';
  }
  get status(): number {
    return this.details.status ?? 400;
  }
}

export const notFound = (what: string, id: string | number) =>
  new DomainError(`${what}.not-found`, { status: 404, id }, `${what} ${id} not found`);

export const forbidden = (action: string) =>
  new DomainError('forbidden', { status: 403, action }, `not allowed: ${action}`);

/** A reason the platform cannot start, worded for the operator: one line, what is wrong and what to do. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
