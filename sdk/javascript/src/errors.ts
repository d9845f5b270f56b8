/**
 * The one error type the SDK throws. `code` is the server's stable snake_case code (API.md §2) when the server
 * answered, or one of the client-side codes below when it did not.
 */
export type ClientErrorCode =
  | "network_error"
  | "timeout"
  | "not_connected"
  | "unauthorized"
  | "invalid_response"
  | "upload_failed"
  | "aborted";

/** Codes the server is documented to send; any other string may still arrive. */
export type KnownServerErrorCode =
  | "not_found"
  | "user_not_found"
  | "room_not_found"
  | "cannot_act_as_other_user"
  | "not_a_participant"
  | "room_frozen"
  | "malformed_json"
  | "validation_failed"
  | "rate_limited"
  | "calls_disabled"
  | "calls_unavailable"
  | "call_full"
  | "call_ended"
  | "call_not_found"
  | "unknown_action"
  | "method_not_allowed";

export interface FieldError {
  field: string;
  message: string;
}

export interface SendsarErrorInit {
  code: string;
  message: string;
  status?: number;
  details?: FieldError[];
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class SendsarError extends Error {
  override readonly name = "SendsarError";
  /** The server's code, or a {@link ClientErrorCode}. */
  readonly code: KnownServerErrorCode | ClientErrorCode | (string & {});
  /** HTTP status when the error came from a REST answer; 0 when the server was not reached. */
  readonly status: number;
  readonly details: FieldError[];
  readonly retryAfterSeconds: number | undefined;

  constructor(init: SendsarErrorInit) {
    super(init.message);
    this.code = init.code;
    this.status = init.status ?? 0;
    this.details = init.details ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds;
    if (init.cause !== undefined) {
      (this as { cause?: unknown }).cause = init.cause;
    }
  }

  /** The server answered 404 `not_found` for the route itself: this server does not have the feature yet. */
  get isMissingRoute(): boolean {
    return this.status === 404 && this.code === "not_found";
  }

  /** Worth retrying unchanged: the server was not reached, or it was busy or rate limiting. */
  get isRetryable(): boolean {
    if (this.status === 0) {
      return this.code === "network_error" || this.code === "timeout";
    }
    return this.status === 429 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

export function isSendsarError(value: unknown): value is SendsarError {
  return value instanceof SendsarError;
}
