/**
 * The naming rule of shared/chain.ts: every name a stage goes by, derived from
 * the stage's name. template.yaml is held to these names by tests/template/;
 * this holds the rule itself, for names this chain does not have.
 */
import { describe, expect, it } from "@jest/globals";
import { stageNames, type ProcessorStage } from "../../shared";

/** A stage name that is not in the chain: the rule applies to any. */
const namesOf = (stage: string) => stageNames(stage as ProcessorStage);

describe("the names of a stage", () => {
  it("are derived from a one-word name", () => {
    expect(namesOf("price")).toEqual({
      logic: "price",
      functionId: "PriceFunction",
      logGroupId: "PriceLogGroup",
      functionNameOutput: "PriceFunctionName",
      errorsMetricId: "priceErrors",
      arnVariable: "PRICE_FUNCTION_ARN",
      folder: "functions/price",
      event: "events/price.json",
    });
  });

  it("join the words of a name of several, each capitalised where the spelling calls for it", () => {
    expect(namesOf("sales-tax-eu")).toEqual({
      logic: "salesTaxEu",
      functionId: "SalesTaxEuFunction",
      logGroupId: "SalesTaxEuLogGroup",
      functionNameOutput: "SalesTaxEuFunctionName",
      errorsMetricId: "salesTaxEuErrors",
      arnVariable: "SALES_TAX_EU_FUNCTION_ARN",
      folder: "functions/sales-tax-eu",
      event: "events/sales-tax-eu.json",
    });
  });
});
