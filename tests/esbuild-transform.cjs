// Jest transform: TypeScript to CommonJS with esbuild, the bundler the functions
// ship with. It only strips types; `tsc --noEmit` (part of `npm test`) type-checks.
const { createHash } = require("node:crypto");
const { readFileSync } = require("node:fs");
const { transformSync, version } = require("esbuild");

const OPTIONS = {
  loader: "ts",
  format: "cjs",
  target: "node22",
  // Jest runs CommonJS: turn import() into require() so modules load in Jest's registry.
  supported: { "dynamic-import": false },
  sourcemap: "external",
};

// Jest caches transformed files; the key must change when this transform does.
const TRANSFORM_ID = createHash("sha256").update(readFileSync(__filename)).update(version).digest("hex");

module.exports = {
  // Jest stores the instrumented code (--coverage) under the same key, so the key names the mode too.
  getCacheKey(source, filename, { configString, instrument }) {
    return createHash("sha256")
      .update(TRANSFORM_ID)
      .update(configString)
      .update(instrument ? "instrumented" : "plain")
      .update(filename)
      .update(source)
      .digest("hex");
  },
  process(source, filename) {
    const { code, map } = transformSync(source, { ...OPTIONS, sourcefile: filename });
    return { code, map };
  },
};
