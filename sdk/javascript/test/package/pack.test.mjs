// The SDK as a user gets it: `npm pack` makes a tarball that installs into an empty project, where the imports of
// the SDK page (seed 003) work from ESM, CommonJS and TypeScript. Offline: the package has no runtime dependencies.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const sdk = join(dirname(fileURLToPath(import.meta.url)), "../..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
let work;
let project;

function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

describe("the published package", () => {
  before(() => {
    work = mkdtempSync(join(tmpdir(), "sendsar-pack-"));
    const packed = JSON.parse(run(npm, ["pack", "--json", "--pack-destination", work], sdk));
    const tarball = join(work, packed[0].filename);
    project = join(work, "app");
    run("mkdir", ["-p", project], work);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", type: "module", private: true }));
    run(npm, ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], project);
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it("is public, Apache-2.0, and ships the bundles, types, README and LICENSE", () => {
    const manifest = JSON.parse(readFileSync(join(project, "node_modules/@sendsar/chat-sdk-javascript/package.json"), "utf8"));
    assert.equal(manifest.private, undefined);
    assert.equal(manifest.license, "Apache-2.0");
    for (const file of ["dist/index.mjs", "dist/index.cjs", "dist/types/index.d.ts", "dist/sendsar.browser.min.js",
      "dist/sendsar.browser.esm.js", "README.md", "LICENSE"]) {
      readFileSync(join(project, "node_modules/@sendsar/chat-sdk-javascript", file));
    }
  });

  it("works with the SDK page's imports from ESM and CommonJS", () => {
    writeFileSync(join(project, "esm.mjs"), `
      import Sendsar from "@sendsar/chat-sdk-javascript";
      import { createSessionManager } from "@sendsar/chat-sdk-javascript";
      const client = Sendsar.init({ apiUrl: "http://localhost:3001/v1" });
      if (typeof client.connect !== "function" || typeof createSessionManager !== "function") process.exit(1);
      console.log("esm ok");`);
    assert.match(run(process.execPath, ["esm.mjs"], project), /esm ok/);
    writeFileSync(join(project, "cjs.cjs"), `
      const Sendsar = require("@sendsar/chat-sdk-javascript");
      if (typeof Sendsar.init !== "function" || typeof Sendsar.default.init !== "function") process.exit(1);
      console.log("cjs ok");`);
    assert.match(run(process.execPath, ["cjs.cjs"], project), /cjs ok/);
  });

  it("type-checks the SDK page's TypeScript", () => {
    writeFileSync(join(project, "app.ts"), `
      import Sendsar from "@sendsar/chat-sdk-javascript";
      import type { Message, SessionManagerState } from "@sendsar/chat-sdk-javascript";
      import { createSessionManager } from "@sendsar/chat-sdk-javascript";
      export async function start(token: string, chatUserId: string, apiUrl: string): Promise<void> {
        const client = Sendsar.init({ apiUrl });
        await client.connect({ userId: chatUserId, token });
        await client.connect(token);
        client.on("new-message", (msg: Message) => console.log(msg.id));
        const manager = createSessionManager({
          fetchSession: () => fetch("/api/chat/session", { credentials: "include" }),
          onStateChange: (state: SessionManagerState) => console.log(state.status),
        });
        await manager.start();
      }`);
    run(process.execPath, [join(sdk, "node_modules/typescript/bin/tsc"), "--noEmit", "--strict", "--target", "es2022",
      "--module", "nodenext", "--moduleResolution", "nodenext", "--types", "node", "--typeRoots", join(sdk, "node_modules/@types"),
      "app.ts"], project);
  });
});
