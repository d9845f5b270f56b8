import Sendsar from "../../dist/index.mjs";
import { FakeClock, FakeServer, fakeJwt, settle } from "./fakes.mjs";

/** A client wired to a fake server and a fake clock; `random` 0.5 makes jitter predictable. */
export function setup(options = {}) {
  const server = new FakeServer();
  const clock = new FakeClock();
  const client = Sendsar.init({
    apiUrl: "http://fake/v1", WebSocket: server.WebSocket, fetch: server.fetch, clock, random: () => 0.5, ...options,
  });
  const states = [];
  client.on("connection-state", (change) => states.push(change));
  const received = [];
  client.on("new-message", (m) => received.push(`${m.roomId}:${m.seq}`));
  const token = (minutes = 60) => fakeJwt({ sub: "alice", exp: Math.floor((clock.now() + minutes * 60_000) / 1000) });
  /** Connects and lets the fake handshake finish. */
  const connect = async (extra = {}) => {
    const ready = client.connect({ userId: "alice", token: token(), ...extra });
    await clock.advance(0);
    return ready;
  };
  return { server, clock, client, states, received, token, connect, settle };
}
