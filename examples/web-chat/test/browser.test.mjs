// Two users chat in two browser contexts of Debian's Chromium, driven by playwright-core, against the local stack.
// Typing and read receipts are checked when the server has them; until then those steps are skipped with the reason.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const sdkDir = join(here, "../../../sdk/javascript");
const require = createRequire(join(sdkDir, "package.json"));
const { chromium } = require("playwright-core");
const Sendsar = (await import(join(sdkDir, "dist/index.mjs"))).default;
const WebSocket = require("ws");

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// CI sets SENDSAR_REQUIRE_BROWSER=1 (.ci/run installs Chromium): there a missing browser fails the build. On a machine
// without Chromium the README's test command still passes, and says loudly what it did not test.
const browserRequired = process.env.SENDSAR_REQUIRE_BROWSER === "1";
const noBrowser = existsSync(executablePath) ? false
  : `Chromium not found at ${executablePath}: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH)`;
if (noBrowser && !browserRequired) {
  const line = "!".repeat(100);
  console.warn(`\n${line}\n!! SKIPPED: the web-chat browser test. ${noBrowser}.\n!! CI runs it (SENDSAR_REQUIRE_BROWSER=1).\n${line}\n`);
}
const results = join(here, "../test-results");
const readmeShot = join(sdkDir, "docs/screenshot.png");
const apiUrl = process.env.SENDSAR_API_URL;
const apiKey = process.env.SENDSAR_API_KEY;

let server;
let baseUrl;
let browser;

/** Starts the demo's session server on a free port. */
async function startDemo() {
  const child = spawn(process.execPath, [join(here, "../server.mjs")], { env: { ...process.env, PORT: "0" }, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`demo server exited with ${code}`)));
  });
  return { child, url };
}

/** Does the server route typing yet? An `unknown_action` error frame means it does not. */
async function serverHasTyping(roomId) {
  const token = await (await fetch(`${apiUrl}/auth/token`, {
    method: "POST", headers: { "x-api-key": apiKey, "content-type": "application/json" }, body: JSON.stringify({ userId: "alice" }),
  })).json();
  const client = Sendsar.init({ apiUrl, WebSocket });
  await client.connect({ userId: "alice", token: token.token });
  try {
    await client.joinRoom(roomId);
    const refused = new Promise((resolve) => {
      client.on("error", (e) => e.code === "unknown_action" && resolve(false));
      setTimeout(() => resolve(true), 1500);
    });
    client.setTyping(roomId, false);
    return await refused;
  } finally {
    client.disconnect();
  }
}

/** Does the server route read receipts yet? A 404 `not_found` for the route means it does not. */
async function serverHasReadReceipts() {
  const response = await fetch(`${apiUrl}/chat/rooms/00000000-0000-0000-0000-000000000000/read`, {
    method: "POST", headers: { "x-api-key": apiKey, "content-type": "application/json" }, body: JSON.stringify({ userId: "alice", lastReadMessageId: "x" }),
  });
  const body = await response.json().catch(() => ({}));
  return !(response.status === 404 && body.code === "not_found");
}

async function logIn(user) {
  const context = await browser.newContext({ viewport: { width: 760, height: 560 } });
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`[${user} page] ${error.message}`));
  await page.goto(`${baseUrl}/login?user=${user}`);
  await page.locator("#conn-state", { hasText: "connected" }).waitFor({ timeout: 20_000 });
  await page.locator(".room", { hasText: "Alice & Bob" }).click();
  await page.locator("#room-title", { hasText: "Alice & Bob" }).waitFor();
  const roomId = await page.locator(".room.active").getAttribute("data-room-id");
  await page.locator(`#thread[data-ready-room="${roomId}"]`).waitFor({ timeout: 20_000 });
  return page;
}

describe("web-chat demo in Chromium", { skip: browserRequired ? false : noBrowser }, () => {
  before(async () => {
    assert.ok(apiUrl && apiKey, "SENDSAR_API_URL and SENDSAR_API_KEY must be set (run through WithLocalStack)");
    assert.ok(!noBrowser, `${noBrowser} (SENDSAR_REQUIRE_BROWSER=1 requires the browser test)`);
    ({ child: server, url: baseUrl } = await startDemo());
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
        "--no-first-run", "--disable-component-update", "--disable-sync",
        // No --user-data-dir here: launch() passes a fresh temporary one itself (and refuses one in args).
      ],
    });
  });

  after(async () => {
    await browser?.close();
    server?.kill();
  });

  it("Bob sees Alice's message live, with typing and a read receipt", async (t) => {
    const alice = await logIn("alice");
    const bob = await logIn("bob");
    const roomId = await alice.locator(".room.active").getAttribute("data-room-id");

    await t.test("typing indicator", async (st) => {
      if (!(await serverHasTyping(roomId))) return st.skip("server has no WebSocket action `typing` yet (unknown_action)");
      // Long enough for the controller's keep-alive to repeat `isTyping: true`, as a real typist would.
      await bob.locator("#composer").pressSequentially("Hi Alice, typing a reply", { delay: 120 });
      await alice.locator("#typing", { hasText: "Bob is typing" }).waitFor({ timeout: 10_000 });
    });

    const text = `Hello Bob, it is ${new Date().toISOString().slice(11, 19)}`;
    await alice.locator("#composer").fill(text);
    await alice.locator("#send").click();
    await bob.locator(".message", { hasText: text }).waitFor({ timeout: 10_000 });
    await bob.locator("#composer").fill("Hi Alice! Got it.");
    await bob.locator("#send").click();
    await alice.locator(".message", { hasText: "Got it." }).waitFor({ timeout: 10_000 });

    await t.test("read receipt", async (st) => {
      if (!(await serverHasReadReceipts())) return st.skip("server has no POST /chat/rooms/{roomId}/read yet (404 not_found)");
      await alice.locator(".message.mine .receipt", { hasText: "Seen" }).waitFor({ timeout: 10_000 });
    });

    mkdirSync(results, { recursive: true });
    const shots = [await alice.screenshot(), await bob.screenshot()];
    const page = await browser.newPage({ viewport: { width: 1540, height: 600 } });
    await page.setContent(`<body style="margin:0;display:flex;gap:20px;background:#94a3b8;padding:0">${shots
      .map((png) => `<img src="data:image/png;base64,${png.toString("base64")}" width="760" height="560" style="display:block;margin:20px 0">`)
      .join("")}</body>`);
    const combined = await page.screenshot();
    writeFileSync(join(results, "web-chat.png"), combined);
    if (process.env.SENDSAR_UPDATE_SCREENSHOT === "1") writeFileSync(readmeShot, combined);
  });
});
