// Builds dist/: ESM and CJS for bundlers and Node, two browser bundles (global `Sendsar` and ES module), and .d.ts.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true });

const common = { entryPoints: [join(root, "src/index.ts")], bundle: true, target: "es2020", logLevel: "warning", sourcemap: true };

await Promise.all([
  build({ ...common, format: "esm", platform: "neutral", outfile: join(dist, "index.mjs") }),
  build({ ...common, format: "cjs", platform: "neutral", outfile: join(dist, "index.cjs"), footer: {
    // `require(...)` returns the client factory namespace; keep `require(...).default` working too.
    js: "module.exports = Object.assign(module.exports.default, module.exports);",
  } }),
  build({ ...common, format: "esm", platform: "browser", minify: true, outfile: join(dist, "sendsar.browser.esm.js") }),
  // The global `Sendsar` is the default export object (init + helpers), as the script-tag samples use it.
  build({ ...common, format: "iife", platform: "browser", minify: true, globalName: "SendsarModule",
    footer: { js: "var Sendsar=SendsarModule.default;globalThis.Sendsar=Sendsar;" },
    outfile: join(dist, "sendsar.browser.min.js") }),
]);

execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.json")], { stdio: "inherit" });
writeFileSync(join(dist, "index.d.cts"), 'export * from "./types/index.js";\nimport Sendsar from "./types/index.js";\nexport default Sendsar;\n');
console.log("built dist/");
