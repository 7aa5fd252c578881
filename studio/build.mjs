// Builds the studio page into engine/service/static (or the folder given as the first argument):
// index.html, studio.js and studio.css, minified, with no reference to anything outside the page's origin.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || join(here, "..", "engine", "service", "static"));
mkdirSync(out, { recursive: true });

await build({
  entryPoints: { studio: join(here, "src", "main.js") },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["chrome100", "firefox100", "safari15"],
  outdir: out,
  legalComments: "eof", // CodeMirror's MIT notices travel with the bundle
  charset: "utf8",
  logLevel: "warning",
});
copyFileSync(join(here, "src", "index.html"), join(out, "index.html"));
// the bundle must not name another origin: the page loads nothing from outside
for (const name of ["studio.js", "studio.css", "index.html"]) {
  const text = readFileSync(join(out, name), "utf8");
  const found = text.match(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]+|@import\s+url\(|url\(\s*["']?(?:https?:)?\/\//i);
  if (found) throw new Error(`${name} refers to another origin: ${found[0]}`);
}
writeFileSync(join(out, "BUILT.txt"), "Built by studio/build.sh from studio/src; do not edit. See studio/README.md.\n");
