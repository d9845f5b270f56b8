/** Wire objects of the Sendsar API v1 (see API.md §4). Unknown keys the server adds are kept. */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface TextPart {
  type: "text";
  text: string;
}

export interface FilePart {
  type: "file";
  uploadId: string;
  mediaType: string;
  filename: string;
  accessUrl?: string;
  accessUrlExpiresAt?: string;
}

export interface DataCallPart {
  type: "data-call";
  data: {
    callId: string;
    callType: CallType;
    outcome: "completed" | "missed" | "declined" | "cancelled";
    initiatedByUserId: string;
    isGroup: boolean;
    durationSeconds?: number;
  };
}

export interface DataMembershipPart {
  type: "data-membership";
  data: { action: "joined" | "left" | "removed"; actorUserId: string; targetUserId: string };
}

/** Any other `data-*` part: the open end of the union. */
export interface CustomDataPart {
  type: `data-${string}`;
  data: { [key: string]: Json };
}

export type MessagePart = TextPart | FilePart | DataCallPart | DataMembershipPart | CustomDataPart;

export interface Reaction {
  userId: string;
  emoji: string;
}

export interface ParentMessagePreview {
  id: string;
  senderId: string;
  parts: MessagePart[];
  previewText: string;
  deleted: boolean;
}

export interface Message {
  id: string;
  roomId: string;
  seq: number;
  senderId: string;
  parts: MessagePart[];
  previewText: string;
  clientMessageId: string | null;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  deletedHidden?: boolean;
  reactions: Reaction[];
  parentMessageId: string | null;
  parentMessage: ParentMessagePreview | null;
  pinnedAt: string | null;
  pinnedBy: string | null;
  forwardedFromId: string | null;
  forwardedFromSenderId: string | null;
}

export interface LastMessage {
  id: string;
  seq: number;
  senderId: string;
  previewText: string;
  createdAt: string;
}

export interface RoomSummary {
  id: string;
  name: string | null;
  avatarUrl: string | null;
  externalId: string | null;
  customType: string | null;
  metadata: { [key: string]: Json } | null;
  isFrozen: boolean;
  lastMessage: LastMessage | null;
  lastSeq: number;
  /** The viewer's unread messages; absent when the server answered with an API key that named no viewer. */
  unreadCount?: number;
  lastReadMessageId: string | null;
  createdAt: string;
  updatedAt: string;
}

export type ParticipantRole = "OPERATOR" | "MEMBER";

export interface Participant {
  userId: string;
  username: string | null;
  role: ParticipantRole;
  joinedAt: string;
}

export interface RoomDetail extends RoomSummary {
  participants: Participant[];
}

export interface User {
  id: string;
  username: string | null;
  avatarUrl: string | null;
  metadata: { [key: string]: Json } | null;
  appCode: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Page {
  nextCursor: string | null;
}

export interface RoomList extends Page {
  rooms: RoomSummary[];
}

export interface MessagePage extends Page {
  /** Newest first; with `afterSeq`, oldest first. */
  messages: Message[];
  peerLastReadAt: string | null;
  peerLastDeliveredAt: string | null;
}

export interface ReadState {
  roomId: string;
  userId: string;
  lastReadAt?: string | null;
  lastReadMessageId?: string | null;
  lastReadSeq?: number | null;
  lastDeliveredAt?: string | null;
  lastDeliveredMessageId?: string | null;
  lastDeliveredSeq?: number | null;
  unreadCount?: number;
}

export interface SyncResult {
  rooms: { roomId: string; messages: Message[]; hasMore: boolean }[];
  unreadTotal: number;
}

export type PushProvider = "FCM" | "APNS" | "ONESIGNAL" | "WEBPUSH";

export interface DeviceToken {
  id: string;
  provider: PushProvider;
  token: string;
  platform: "ios" | "android" | "web" | null;
  createdAt: string;
}

export interface PresignedUpload {
  uploadId: string;
  uploadUrl: string;
  method: "PUT";
  uploadUrlExpiresAt: string;
}

export interface CompletedUpload {
  uploadId: string;
  status: "ready";
  sizeBytes: number;
}

export interface UploadAccess {
  uploadId: string;
  accessUrl: string;
  accessUrlExpiresAt: string;
}

export type CallType = "audio" | "video";
export type CallStatus = "ringing" | "active" | "ended" | "missed" | "declined";

export interface CallRecord {
  id: string;
  roomId: string;
  type: CallType;
  status: CallStatus;
  livekitRoomName: string;
  createdByUserId: string;
  participants: { [key: string]: Json }[] | string[];
  startedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  endReason: string | null;
}

export interface LiveKitCredentials {
  url: string;
  token: string;
  expiresAt: string;
}

export interface CallSession {
  call: CallRecord;
  livekit: LiveKitCredentials;
  ringTimeoutSeconds: number;
}

export interface TenantSettings {
  chat: { [key: string]: Json };
  calls: { [key: string]: Json };
}

// ---- realtime payloads (API.md §5) ----

export interface ReadyPayload {
  userId: string;
  tenantId: string;
  connectionId: string;
  serverTime: string;
  unreadTotal: number;
}

export interface TypingPayload {
  roomId: string;
  userId: string;
  isTyping: boolean;
}

export interface PresencePayload {
  userId: string;
  online: boolean;
  roomId?: string;
}

export interface TenantPresenceSnapshot {
  onlineUserIds: string[];
}

export interface RoomPresenceSnapshot {
  roomId?: string;
  onlineUserIds: string[];
}

export interface RoomParticipantsChanged {
  roomId: string;
  action: "joined" | "left" | "removed";
  targetUserId: string;
  actorUserId: string;
}

export interface CallEventPayload {
  callId: string;
  roomId: string;
  type: CallType;
  createdByUserId: string;
  userId?: string;
  reason?: string;
}

export interface ServerErrorPayload {
  code: string;
  message: string;
}

/** Every server → client frame, by event name. */
export interface ServerEvents {
  ready: ReadyPayload;
  "new-message": Message;
  "message-updated": Message;
  typing: TypingPayload;
  "room-read": ReadState;
  "room-delivered": ReadState;
  "tenant-presence": PresencePayload;
  "tenant-presence-snapshot": TenantPresenceSnapshot;
  presence: PresencePayload;
  "presence-snapshot": RoomPresenceSnapshot;
  "joined-room": { roomId: string };
  "left-room": { roomId: string };
  "room-participants-changed": RoomParticipantsChanged;
  "room-updated": RoomSummary;
  "call-invite": CallEventPayload;
  "call-accepted": CallEventPayload;
  "call-declined": CallEventPayload;
  "call-ended": CallEventPayload;
  error: ServerErrorPayload;
  pong: { serverTime: string };
}
