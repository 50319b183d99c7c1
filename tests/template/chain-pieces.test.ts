import { describe, expect, it } from "@jest/globals";
import { PROCESSOR_STAGES, stageNames } from "../../shared";
import { chainPiecesMissing } from "./chain-pieces";
import { loadTemplate, valueAt, type Template } from "../../scripts/report/template";

const template = loadTemplate();

/** A copy of template.yaml with one piece taken out by `remove`. */
const without = (remove: (copy: Template) => void): Template => {
  const copy = structuredClone(template);
  remove(copy);
  return copy;
};

const invokeGrants = (copy: Template): unknown[] => {
  const policies = valueAt(copy.Resources["OrchestratorRole"]?.Properties, "Policies") as unknown[];
  const statement = policies
    .flatMap((policy) => valueAt(policy, "PolicyDocument", "Statement") as unknown[])
    .find((entry) => valueAt(entry, "Action") === "lambda:InvokeFunction");
  return valueAt(statement, "Resource") as unknown[];
};

describe("template.yaml, against the chain shared/chain.ts declares", () => {
  it("has every piece each stage needs, and none for a stage that is not declared", () => {
    const missing = chainPiecesMissing(template);

    expect(missing).toEqual([]);
  });

  describe.each(PROCESSOR_STAGES)("without a piece of stage %s", (stage) => {
    const names = stageNames(stage);

    it.each<[string, (copy: Template) => void, RegExp]>([
      [
        "its invoke grant",
        (copy) => {
          const grants = invokeGrants(copy);
          grants.splice(
            grants.findIndex((grant) => valueAt(grant, "Fn::Sub") === `\${${names.functionId}.Arn}:*`),
            1,
          );
        },
        /lacks its invoke grant/,
      ],
      [
        "its version pin",
        (copy) => {
          const variables = valueAt(copy.Resources["OrchestratorFunction"]?.Properties, "Environment", "Variables");
          Reflect.deleteProperty(variables as object, names.arnVariable);
        },
        /lacks its version pin/,
      ],
      [
        "its log group",
        (copy) => {
          Reflect.deleteProperty(copy.Resources, names.logGroupId);
        },
        /lacks its log group: /,
      ],
      [
        "its output",
        (copy) => {
          Reflect.deleteProperty(copy.Outputs, names.functionNameOutput);
        },
        /lacks its output/,
      ],
    ])("fails naming the stage and %s", (_piece, remove, piece) => {
      const broken = without(remove);

      const missing = chainPiecesMissing(broken);

      expect(missing).toEqual([expect.stringMatching(new RegExp(`^stage ${stage}: template.yaml ${piece.source}`))]);
    });
  });
});
