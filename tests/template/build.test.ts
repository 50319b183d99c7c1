/**
 * How template.yaml has `sam build` bundle each function: the settings every function shares and the few only the
 * orchestrator has, and the bundles those settings make, loaded as Lambda loads them.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, extname, join } from "node:path";
import { pathToFileURL } from "node:url";
import * as v from "valibot";
import { ORCHESTRATOR_NAMES, PROCESSOR_STAGES, stageNames } from "../../shared";
import { loadTemplate, resourcesOfType, valueAt } from "../../scripts/report/template";
import { ROOT as REPOSITORY_ROOT } from "../support/events";

const ORCHESTRATOR_ID = ORCHESTRATOR_NAMES.functionId;

/**
 * The esbuild command line that `sam build` runs for a function's BuildProperties, assembled the
 * way aws-lambda-builders does (nodejs_npm_esbuild/esbuild.py): fixed flags and defaults, then
 * boolean, single-value and list properties, then the entry points.
 */
const samEsbuildArguments = (buildProperties: Record<string, unknown>, outdir: string): string[] => {
  const flag = (key: string) =>
    `--${key.replace(/[A-Z]/g, (letter, at: number) => (at > 0 ? "-" : "") + letter.toLowerCase())}`;
  const list = (key: string) => v.parse(v.optional(v.array(v.string()), []), buildProperties[key]);
  return [
    "--bundle",
    "--platform=node",
    `--outdir=${outdir}`,
    ...("Target" in buildProperties ? [] : ["--target=es2020"]),
    ...("Format" in buildProperties ? [] : ["--format=cjs"]),
    ...("Minify" in buildProperties ? [] : ["--minify"]),
    ...Object.keys(buildProperties)
      .filter((key) => buildProperties[key] === true)
      .map(flag),
    ...["Target", "Format", "MainFields", "SourcesContent"]
      .filter((key) => key in buildProperties)
      .map((key) => `${flag(key)}=${v.parse(v.union([v.string(), v.number(), v.boolean()]), buildProperties[key])}`),
    ...["External", "Loader", "OutExtension", "Banner"].flatMap((key) =>
      list(key).map((item) => `${flag(key)}:${item}`),
    ),
    ...list("EntryPoints"),
  ];
};

const template = loadTemplate();
const functions = resourcesOfType(template, "AWS::Serverless::Function");

describe("template.yaml's build", () => {
  describe("build", () => {
    it.each(functions)("builds %s from an entry file that exists and exports the handler it names", (_id, fn) => {
      // One entry point per function: esbuild then writes it as index.mjs at the root of the build output.
      const [entry] = v.parse(v.tuple([v.string()]), valueAt(fn.Metadata, "BuildProperties", "EntryPoints"));
      const handler = v.parse(v.string(), fn.Properties["Handler"]);
      const [moduleName, exportName] = v.parse(v.tuple([v.string(), v.string()]), handler.split("."));

      const entryPath = join(REPOSITORY_ROOT, entry);
      const source = existsSync(entryPath) ? readFileSync(entryPath, "utf8") : undefined;

      expect(source).toBeDefined();
      expect(moduleName).toBe(basename(entry, extname(entry)));
      expect(source).toMatch(new RegExp(`^export const ${exportName}\\b`, "m"));
    });

    it("builds every function from the repository root, so that shared/ is inside what sam build copies", () => {
      const codeUris = functions.map(([id, fn]) => [id, fn.Properties["CodeUri"]]);

      const expected = functions.map(([id]) => [id, "./"]);

      expect(codeUris).toEqual(expected);
    });

    /** A function's BuildProperties. */
    const buildOf = (fn: (typeof functions)[number][1]) =>
      v.parse(v.record(v.string(), v.unknown()), valueAt(fn.Metadata, "BuildProperties"));

    it("bundles every function the same way, as a minified ES module with everything in it", () => {
      const shared = functions.map(([id, fn]) => {
        const { EntryPoints: _entryPoints, KeepNames: _keepNames, Banner: _banner, ...rest } = buildOf(fn);
        return [id, { BuildMethod: fn.Metadata["BuildMethod"], ...rest }];
      });

      const orchestratorBuild = shared[0]?.[1];

      expect(shared).toEqual(functions.map(([id]) => [id, orchestratorBuild]));
      expect(orchestratorBuild).toEqual({
        BuildMethod: "esbuild",
        Format: "esm",
        OutExtension: [".js=.mjs"],
        Target: "es2023",
        MainFields: "module,main",
        Minify: true,
        Sourcemap: false,
      });
    });

    it("gives only the orchestrator, which bundles the AWS SDK, the banner that lets CommonJS code require Node built-ins", () => {
      const banners = functions.map(([id, fn]) => [id, buildOf(fn)["Banner"]]);

      expect(banners).toEqual(
        functions.map(([id]) => [
          id,
          id === ORCHESTRATOR_ID
            ? [expect.stringMatching(/^js=import .+;const require = \w+\(import\.meta\.url\);$/)]
            : undefined,
        ]),
      );
    });

    it("keeps the orchestrator's class names while minifying, so that the durable SDK's errors keep their names", () => {
      const keepNames = functions.map(([id, fn]) => [id, buildOf(fn)["KeepNames"]]);

      expect(keepNames).toEqual(functions.map(([id]) => [id, id === ORCHESTRATOR_ID ? true : undefined]));
    });
  });

  describe("bundles, as sam build makes them", () => {
    const esbuild = join(REPOSITORY_ROOT, "node_modules", ".bin", "esbuild");
    let outRoot = "";

    beforeAll(() => {
      outRoot = mkdtempSync(join(tmpdir(), "template-bundles-"));
      for (const [id, fn] of functions) {
        const buildProperties = v.parse(v.record(v.string(), v.unknown()), valueAt(fn.Metadata, "BuildProperties"));
        execFileSync(esbuild, [...samEsbuildArguments(buildProperties, join(outRoot, id)), "--log-level=error"], {
          cwd: REPOSITORY_ROOT,
        });
      }
    });

    afterAll(() => {
      rmSync(outRoot, { recursive: true, force: true });
    });

    it.each(functions)("loads %s's bundle in Node as an ES module that exports its handler", (id, fn) => {
      const [moduleName, exportName] = v.parse(v.string(), fn.Properties["Handler"]).split(".");
      const bundle = pathToFileURL(join(outRoot, id, `${moduleName ?? ""}.mjs`)).href;
      const environment = Object.fromEntries(
        PROCESSOR_STAGES.map((stage) => [stageNames(stage).arnVariable, `${stageNames(stage).functionId}-arn`]),
      );

      const exportedType = execFileSync(
        process.execPath,
        [
          "--input-type=module",
          "--eval",
          `console.log(typeof (await import(${JSON.stringify(bundle)}))[${JSON.stringify(exportName)}])`,
        ],
        { env: { ...process.env, ...environment }, encoding: "utf8" },
      );

      expect(exportedType.trim()).toBe("function");
    });
  });
});
