// Shared setup for tests against a real local stack (WithLocalStack sets the SENDSAR_* variables).
import WebSocket from "ws";
import Sendsar, { SendsarError } from "../../dist/index.mjs";

export const apiUrl = required("SENDSAR_API_URL");
export const apiKey = required("SENDSAR_API_KEY");

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through WithLocalStack (npm run test:integration is started by Maven)`);
  return value;
}

/** A server-side call with the tenant API key, as the integrator's backend makes it. */
export async function admin(method, path, body) {
  const response = await fetch(apiUrl + path, {
    method, headers: { "x-api-key": apiKey, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

let counter = 0;
/** Fresh users (unique per run) and a room between them. */
export async function usersAndRoom(names = ["alice", "bob"]) {
  const run = `${Date.now().toString(36)}${(counter++).toString(36)}`;
  const ids = names.map((n) => `${n}-${run}`);
  for (const [i, id] of ids.entries()) await admin("POST", "/users", { id, username: names[i] });
  const room = await admin("POST", "/chat/rooms", { name: `room ${run}`, participants: ids.map((id) => ({ id })) });
  return { ids, room };
}

export async function tokenFor(userId, expiresIn = 3600) {
  return admin("POST", "/auth/token", { userId, expiresIn });
}

/** Every socket the SDK opened, so a test can cut one like a network failure would. */
export class TrackedWebSocket extends WebSocket {
  static all = [];
  constructor(url) {
    super(url);
    TrackedWebSocket.all.push(this);
  }
}

export async function connected(userId, options = {}) {
  const { token } = await tokenFor(userId);
  const client = Sendsar.init({ apiUrl, WebSocket: TrackedWebSocket, ...options });
  await client.connect({ userId, token });
  return client;
}

/** Resolves with the first event matching `predicate`, or fails after `ms`. */
export function nextEvent(client, event, predicate = () => true, ms = 10_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no ${event} within ${ms} ms`)); }, ms);
    const off = client.on(event, (payload) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function eventually(check, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > end) throw error;
      await sleep(50);
    }
  }
}

/**
 * Runs a step of a feature the server may not have yet. When the server answers 404 `not_found` for the route
 * itself, the test is reported as skipped with that reason; every other failure fails the test.
 */
export async function unlessRouteMissing(t, route, step) {
  try {
    await step();
    return true;
  } catch (error) {
    if (error instanceof SendsarError && error.isMissingRoute) {
      t.skip(`server has no ${route} yet (404 not_found)`);
      return false;
    }
    throw error;
  }
}
