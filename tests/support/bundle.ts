import { buildSync } from "esbuild";

/**
 * Bundles `entry` for Node.js as an ES module at `outfile`, its packages left
 * to node_modules, as the npm scripts bundle the tools; returns `outfile`.
 */
export const bundleForNode = (entry: string, outfile: string): string => {
  buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outfile,
    logLevel: "error",
  });
  return outfile;
};
