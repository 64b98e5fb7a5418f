// Failures as the server states them: RFC 9457 problem+json with a stable `code` (docs/architecture.md, "Errors").

/** A refused request or session: `code` is the server's stable code, or `network_error` / `http_<status>`. */
export class StoaError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string | undefined;
  readonly errors: Record<string, string[]> | undefined;
  /** Seconds, from a Retry-After header. */
  readonly retryAfter: number | undefined;

  constructor(status: number, code: string, detail?: string, errors?: Record<string, string[]>, retryAfter?: number) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'StoaError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = errors;
    this.retryAfter = retryAfter;
  }

  /** Reads a failed response's problem body; a body that is no problem (a proxy's page) still gives the status. */
  static async fromResponse(response: Response): Promise<StoaError> {
    let problem: unknown = undefined;
    try {
      problem = await response.json();
    } catch {
      // Not JSON: the status alone still tells the caller something.
    }
    return StoaError.fromProblem(response.status, problem, response.headers.get('Retry-After'));
  }

  static fromProblem(status: number, problem: unknown, retryAfterHeader?: string | null): StoaError {
    const p = (typeof problem === 'object' && problem !== null ? problem : {}) as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const retryAfter = retryAfterHeader != null && retryAfterHeader !== '' ? Number(retryAfterHeader) : undefined;
    return new StoaError(
      status,
      text(p.code) ?? `http_${status}`,
      text(p.detail) ?? text(p.title),
      typeof p.errors === 'object' && p.errors !== null ? (p.errors as Record<string, string[]>) : undefined,
      Number.isFinite(retryAfter) ? retryAfter : undefined);
  }
}

/** Statuses after which trying the same request again later can succeed. */
export const isTransientStatus = (status: number): boolean => status === 0 || status === 408 || status === 429 || status >= 500;
