import { backoffDelay } from "./backoff.js";
import type { Clock } from "./clock.js";
import { SendsarError, type FieldError } from "./errors.js";

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type QueryValue = string | number | boolean | undefined | null;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Send the session token (default true). */
  auth?: boolean;
  /** Extra attempts for network errors, 429 and 5xx gateway errors; only for requests safe to repeat. */
  retries?: number;
  signal?: AbortSignal;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

interface ErrorBody {
  statusCode?: number;
  error?: string;
  code?: string;
  message?: string;
  details?: FieldError[];
}

/** REST over fetch: JSON in and out, the session token as Bearer, every failure a {@link SendsarError}. */
export class RestClient {
  constructor(
    readonly apiUrl: string,
    private readonly fetchImpl: FetchLike,
    private readonly token: () => string | undefined,
    private readonly clock: Clock,
    private readonly timeoutMs = 30_000,
  ) {}

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const retries = options.retries ?? 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, path, options);
      } catch (error) {
        if (!(error instanceof SendsarError) || !error.isRetryable || attempt >= retries) {
          throw error;
        }
        const wait = error.retryAfterSeconds !== undefined ? Math.min(error.retryAfterSeconds * 1000, 5_000)
          : backoffDelay(attempt, { minDelayMs: 200, maxDelayMs: 2_000 });
        await new Promise<void>((resolve) => this.clock.setTimeout(resolve, wait));
      }
    }
  }

  url(path: string, query?: Record<string, QueryValue>): string {
    const base = this.apiUrl.replace(/\/+$/, "");
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null) params.set(key, String(value));
    }
    const qs = params.toString();
    return base + path + (qs ? "?" + qs : "");
  }

  private async once<T>(method: string, path: string, options: RequestOptions): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    const token = options.auth === false ? undefined : this.token();
    if (token) headers.authorization = "Bearer " + token;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.body);
    }
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    options.signal?.addEventListener("abort", onAbort);
    const timer = this.clock.setTimeout(() => controller.abort(), this.timeoutMs);
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path, options.query), { method, headers, body, signal: controller.signal });
    } catch (cause) {
      const aborted = options.signal?.aborted === true;
      throw new SendsarError({
        code: aborted ? "aborted" : controller.signal.aborted ? "timeout" : "network_error",
        message: aborted ? "The request was aborted" : controller.signal.aborted
          ? `${method} ${path} took longer than ${this.timeoutMs} ms` : `${method} ${path} did not reach the server`,
        cause,
      });
    } finally {
      this.clock.clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    }
    return readResponse<T>(response, `${method} ${path}`);
  }
}

export async function readResponse<T>(response: Response, what: string): Promise<T> {
  const text = await response.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (response.ok) {
    if (response.status === 204 || !text) return undefined as T;
    if (json === undefined) {
      throw new SendsarError({ code: "invalid_response", status: response.status, message: `${what}: the answer is not JSON` });
    }
    return json as T;
  }
  const error = (json && typeof json === "object" ? json : {}) as ErrorBody;
  const retryAfter = Number(response.headers.get("retry-after"));
  throw new SendsarError({
    status: response.status,
    code: error.code ?? fallbackCode(response.status),
    message: error.message ?? `${what} failed with HTTP ${response.status}`,
    details: Array.isArray(error.details) ? error.details : [],
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  });
}

function fallbackCode(status: number): string {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limited";
  return "http_" + status;
}
