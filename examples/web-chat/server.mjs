// The demo's backend: holds the API key, "logs in" demo users with a cookie, mints session tokens
// (GET /api/chat/session, as in the Quick start step 3), serves the page and the SDK bundle.
// The browser talks to the Sendsar API through /v1 on this origin (a plain pass-through that never adds the API key),
// so the page works without CORS on the API.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const sdkDist = join(here, "../../sdk/javascript/dist");
const apiUrl = process.env.SENDSAR_API_URL?.replace(/\/+$/, "");
const apiKey = process.env.SENDSAR_API_KEY;
if (!apiUrl || !apiKey) {
  console.error("Set SENDSAR_API_URL and SENDSAR_API_KEY (./start.sh does it against a fresh local stack)");
  process.exit(2);
}

export const demoUsers = { alice: "Alice", bob: "Bob", carol: "Carol" };

async function sendsar(method, path, body) {
  const response = await fetch(apiUrl + path, {
    method,
    headers: { "x-api-key": apiKey, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${json.code ?? ""}`);
  return json;
}

/** Demo data: three users, a 1:1 room and a group, created idempotently (externalId). */
async function seed() {
  for (const [id, username] of Object.entries(demoUsers)) await sendsar("POST", "/users", { id, username });
  await sendsar("POST", "/chat/rooms", { name: "Alice & Bob", externalId: "demo-alice-bob", participants: [{ id: "alice", username: "Alice" }, { id: "bob", username: "Bob" }] });
  await sendsar("POST", "/chat/rooms", { name: "Team", externalId: "demo-team", participants: Object.entries(demoUsers).map(([id, username]) => ({ id, username })) });
}

function userOf(request) {
  const match = /(?:^|;\s*)demo_user=([a-z]+)/.exec(request.headers.cookie ?? "");
  return match && demoUsers[match[1]] ? match[1] : null;
}

const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css", ".map": "application/json" };

async function serveFile(response, root, relative) {
  const path = normalize(join(root, relative));
  if (!path.startsWith(root)) return send(response, 404, "Not found");
  try {
    const body = await readFile(path);
    response.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream", "cache-control": "no-store" });
    response.end(body);
  } catch {
    send(response, 404, "Not found");
  }
}

function send(response, status, body, headers = {}) {
  const json = typeof body !== "string";
  response.writeHead(status, { "content-type": json ? "application/json" : "text/plain", ...headers });
  response.end(json ? JSON.stringify(body) : body);
}

/** Pass-through to the Sendsar API: the caller's own Bearer token only. */
async function proxy(request, response, path) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const headers = {};
  for (const name of ["authorization", "content-type", "accept"]) if (request.headers[name]) headers[name] = request.headers[name];
  try {
    const upstream = await fetch(apiUrl + path, {
      method: request.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const body = Buffer.from(await upstream.arrayBuffer());
    const out = { "content-type": upstream.headers.get("content-type") ?? "application/json" };
    if (upstream.headers.get("retry-after")) out["retry-after"] = upstream.headers.get("retry-after");
    response.writeHead(upstream.status, out);
    response.end(body);
  } catch {
    send(response, 502, { statusCode: 502, error: "Bad Gateway", code: "upstream_unreachable", message: "Sendsar API unreachable" });
  }
}

const server = createServer(async (request, response) => {
  const url = new URL(request.url, "http://localhost");
  try {
    if (url.pathname === "/login") {
      const user = url.searchParams.get("user");
      if (!demoUsers[user]) return send(response, 400, "Unknown demo user");
      return send(response, 302, "", { location: "/", "set-cookie": `demo_user=${user}; Path=/; HttpOnly; SameSite=Lax` });
    }
    if (url.pathname === "/logout") {
      return send(response, 302, "", { location: "/", "set-cookie": "demo_user=; Path=/; Max-Age=0" });
    }
    if (url.pathname === "/api/chat/session") {
      const user = userOf(request);
      if (!user) return send(response, 401, { error: "Not logged in" });
      await sendsar("POST", "/users", { id: user, username: demoUsers[user] });
      const minted = await sendsar("POST", "/auth/token", { userId: user, expiresIn: 3600 });
      const origin = `http://${request.headers.host}`;
      return send(response, 200, {
        token: minted.token, expiresAt: minted.expiresAt, apiUrl: `${origin}/v1`, chatUserId: user, displayName: demoUsers[user],
      }, { "cache-control": "no-store" });
    }
    if (url.pathname.startsWith("/v1/")) return proxy(request, response, url.pathname.slice(3) + url.search);
    if (url.pathname.startsWith("/sdk/")) return serveFile(response, sdkDist, url.pathname.slice(5));
    if (url.pathname === "/") return serveFile(response, join(here, "public"), "index.html");
    return serveFile(response, join(here, "public"), url.pathname.slice(1));
  } catch (error) {
    console.error(error.message);
    send(response, 500, { error: "Demo server error" });
  }
});

await seed();
server.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`web-chat demo listening on http://localhost:${server.address().port}`);
});
