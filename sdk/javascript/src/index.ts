import { SendsarClient, type ClientOptions } from "./client.js";
import { ConnectingCode, DisconnectedCode } from "./codes.js";
import { SendsarError, isSendsarError } from "./errors.js";
import { mergeMessagesById, reconcileSelfSentMessage } from "./helpers/messages.js";
import { createTenantPresenceTracker } from "./helpers/presence.js";
import { createRoomSubscription } from "./helpers/room-subscription.js";
import { createSessionManager } from "./helpers/session-manager.js";
import { ComposerTypingController } from "./helpers/typing.js";

export const version = "0.1.0";

/** Creates a client: `Sendsar.init({ apiUrl })`. */
export function init(options: ClientOptions): SendsarClient {
  return new SendsarClient(options);
}

export {
  SendsarClient,
  SendsarError,
  isSendsarError,
  ConnectingCode,
  DisconnectedCode,
  createSessionManager,
  createRoomSubscription,
  ComposerTypingController,
  createTenantPresenceTracker,
  mergeMessagesById,
  reconcileSelfSentMessage,
};
export { backoffDelay } from "./backoff.js";
export { whenConnected } from "./helpers/room-subscription.js";

export type * from "./types.js";
export type { ClientOptions, ConnectOptions, ClientEvents, ClientEventName, SendMessageInput, ListRoomsQuery, GetMessagesQuery, TokenResult } from "./client.js";
export type { ConnectionState, ConnectionStateChange, ConnectionTuning } from "./connection.js";
export type { ConnectingCodeValue, DisconnectedCodeValue } from "./codes.js";
export type { ClientErrorCode, KnownServerErrorCode, FieldError } from "./errors.js";
export type { Clock } from "./clock.js";
export type { Handler, Unsubscribe } from "./emitter.js";
export type { WebSocketConstructor, WebSocketLike } from "./transport.js";
export type { BackoffOptions } from "./backoff.js";
export type { UploadBody, UploadFileOptions, UploadProgress } from "./uploads.js";
export type { ListedMessage } from "./helpers/messages.js";
export type { TenantPresenceTracker, TenantPresenceOptions } from "./helpers/presence.js";
export type { RoomSubscription, RoomSubscriptionOptions } from "./helpers/room-subscription.js";
export type { ChatSession, SessionManager, SessionManagerOptions, SessionManagerState, SessionStatus } from "./helpers/session-manager.js";
export type { ComposerTypingOptions, TypingSender } from "./helpers/typing.js";

/** The default export: `import Sendsar from "@sendsar/chat-sdk-javascript"`, and the browser global `Sendsar`. */
const Sendsar = {
  version,
  init,
  SendsarClient,
  SendsarError,
  isSendsarError,
  ConnectingCode,
  DisconnectedCode,
  createSessionManager,
  createRoomSubscription,
  ComposerTypingController,
  createTenantPresenceTracker,
  mergeMessagesById,
  reconcileSelfSentMessage,
};

export default Sendsar;
