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

/**
 * Every code the server sends (API.md §2): the mirror of the server's catalog `dev.sendsar.error.ErrorCode`, which a
 * server test keeps equal to this list. Any other string may still arrive from a newer server.
 */
export type KnownServerErrorCode =
  | "validation_failed"
  | "malformed_json"
  | "invalid_request"
  | "malformed_request"
  | "missing_body"
  | "invalid_cursor"
  | "reserved_part_type"
  | "file_too_large"
  | "media_type_not_allowed"
  | "upload_incomplete"
  | "size_mismatch"
  | "unknown_action"
  | "invalid_status"
  | "invalid_limit"
  | "invalid_webhook_url"
  | "invalid_push_endpoint"
  | "unauthorized"
  | "invalid_api_key"
  | "invalid_admin_key"
  | "cannot_act_as_other_user"
  | "not_a_participant"
  | "room_frozen"
  | "operator_required"
  | "not_message_sender"
  | "not_allowed"
  | "media_disabled"
  | "calls_disabled"
  | "cannot_accept_own_call"
  | "not_call_creator"
  | "not_in_call"
  | "tenant_credentials_required"
  | "api_key_required"
  | "session_token_required"
  | "admin_key_required"
  | "connection_refused"
  | "forbidden"
  | "not_found"
  | "user_not_found"
  | "room_not_found"
  | "message_not_found"
  | "participant_not_found"
  | "upload_not_found"
  | "tenant_not_found"
  | "api_key_not_found"
  | "call_not_found"
  | "webhook_not_found"
  | "delivery_not_found"
  | "method_not_allowed"
  | "message_deleted"
  | "message_forwarded"
  | "message_not_forwardable"
  | "message_too_large"
  | "too_many_reactions"
  | "upload_not_ready"
  | "upload_changed"
  | "settings_conflict"
  | "tenant_exists"
  | "call_full"
  | "call_already_answered"
  | "call_ended"
  | "message_in_progress"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "too_many_connections"
  | "internal_error"
  | "room_busy"
  | "message_busy"
  | "storage_busy"
  | "service_unavailable"
  | "calls_unavailable"
  | "call_busy";

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
