/**
 * A copy of what `sam build` produced in which each function's built code
 * runs behind a wrapper that can make it fail (faults.ts), plus two functions
 * the template does not have: a processor with a one-second timeout, and the
 * built orchestrator configured with processors in another region. Everything
 * else is the build as it ships: the template, the bundles, the environment.
 */
import { cpSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildSync } from "esbuild";
import { parse, stringify } from "yaml";
import { ORCHESTRATOR_NAMES, PROCESSOR_STAGES, stageNames } from "../../shared";
import { functionArn, PUBLISHED_VERSION } from "../../scripts/emulate/built-template";
import { LOCAL_ACCOUNT } from "../../scripts/emulate/local-account";
import type { FaultConfig } from "./faults";

const [FIRST_STAGE] = PROCESSOR_STAGES;

/** The region the other-region orchestrator's processors are in: not the emulator's. */
export const OTHER_REGION = "eu-west-1";

/** Functions the wrapped build adds to the template. */
export const ADDED = {
  /** The first stage's function with a Lambda timeout of one second. */
  slowProcessor: "SlowProcessorFunction",
  /** The built orchestrator (unwrapped), whose processor ARNs name another region. */
  otherRegionOrchestrator: "OtherRegionOrchestratorFunction",
} as const;

/** Bundles tests/emulated/<name>.ts as the function's index.mjs, and moves the built index.mjs beside it. */
const wrap = (functionDirectory: string, wrapper: string): void => {
  renameSync(path.join(functionDirectory, "index.mjs"), path.join(functionDirectory, "built.mjs"));
  buildSync({
    entryPoints: [path.join(__dirname, `${wrapper}.ts`)],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: path.join(functionDirectory, "index.mjs"),
    logLevel: "error",
  });
};

interface Template {
  Resources: Record<string, { Properties: Record<string, unknown>; Metadata?: Record<string, unknown> }>;
}

/** Makes the wrapped build in `directory` from the build in `buildDirectory`; failures remember themselves in `markerDirectory`. */
export const makeWrappedBuild = (buildDirectory: string, directory: string, markerDirectory: string): string => {
  cpSync(buildDirectory, directory, { recursive: true });
  const orchestratorId = ORCHESTRATOR_NAMES.functionId;
  cpSync(path.join(directory, orchestratorId), path.join(directory, `${orchestratorId}AsBuilt`), { recursive: true });
  wrap(path.join(directory, orchestratorId), "orchestrator-wrapper");
  for (const stage of PROCESSOR_STAGES) {
    const name = stageNames(stage).functionId;
    wrap(path.join(directory, name), "processor-wrapper");
    const config: FaultConfig = { stage, markerDirectory };
    writeFileSync(path.join(directory, name, "fault.json"), JSON.stringify(config));
  }
  mkdirSync(markerDirectory, { recursive: true });

  const templateFile = path.join(directory, "template.yaml");
  const template = parse(readFileSync(templateFile, "utf8")) as Template;
  const resource = (id: string) => {
    const found = template.Resources[id];
    if (!found) throw new Error(`the build's template has no ${id}`);
    return structuredClone(found);
  };
  const slowProcessor = resource(stageNames(FIRST_STAGE).functionId);
  slowProcessor.Properties.Timeout = 1;
  const otherRegion = resource(orchestratorId);
  otherRegion.Properties.CodeUri = `${orchestratorId}AsBuilt`;
  otherRegion.Properties.Environment = {
    Variables: Object.fromEntries(
      PROCESSOR_STAGES.map((stage) => [
        stageNames(stage).arnVariable,
        functionArn(
          { region: OTHER_REGION, account: LOCAL_ACCOUNT.account },
          stageNames(stage).functionId,
          PUBLISHED_VERSION,
        ),
      ]),
    ),
  };
  // `sam build` names each function's resource in its Metadata, and `sam local` finds a function by that name: a copy
  // that kept it would stand in for the function it was copied from.
  for (const [id, copy] of [
    [ADDED.slowProcessor, slowProcessor],
    [ADDED.otherRegionOrchestrator, otherRegion],
  ] as const) {
    copy.Metadata = { ...copy.Metadata, SamResourceId: id };
    template.Resources[id] = copy;
  }
  writeFileSync(templateFile, stringify(template));
  return directory;
};
