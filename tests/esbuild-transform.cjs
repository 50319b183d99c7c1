// Jest transform: TypeScript to CommonJS with esbuild, the bundler the functions
// ship with. It only strips types; `tsc --noEmit` (part of `npm test`) type-checks.
const { transformSync } = require("esbuild");

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: "ts",
      format: "cjs",
      target: "node22",
      sourcefile: filename,
      sourcemap: "external",
    });
    return { code, map };
  },
};
