/**
 * Why the connection left the `connected` state: the one list of numbered reasons.
 * `Connecting*` codes mean the client is trying again on its own; `Disconnected*` codes mean it stopped.
 */
export const ConnectingCode = {
  ConnectCalled: 0,
  TransportClosed: 1,
  NoPong: 2,
  PlannedReconnect: 3,
  HandshakeFailed: 4,
  HelloTimeout: 5,
} as const;

export const DisconnectedCode = {
  DisconnectCalled: 0,
  Unauthorized: 1,
  TokenUnavailable: 2,
} as const;

export type ConnectingCodeValue = (typeof ConnectingCode)[keyof typeof ConnectingCode];
export type DisconnectedCodeValue = (typeof DisconnectedCode)[keyof typeof DisconnectedCode];

export const connectingReasons: Record<ConnectingCodeValue, string> = {
  0: "connect called",
  1: "transport closed",
  2: "no pong from the server",
  3: "planned reconnect before the connection age cap",
  4: "WebSocket handshake failed",
  5: "no ready frame after hello",
};

export const disconnectedReasons: Record<DisconnectedCodeValue, string> = {
  0: "disconnect called",
  1: "the session token was refused",
  2: "no fresh session token could be obtained",
};
