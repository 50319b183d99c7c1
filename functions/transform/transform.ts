import type { StageInput, StageOutput } from "../../shared";

/**
 * Stage `transform`: doubles `value` and upper-cases `name`. `toUpperCase` uses
 * Unicode's default case mapping, the same in every locale (Turkish case
 * mapping, `toLocaleUpperCase("tr")`, would turn `i` into `İ`).
 */
export const transform = (input: StageInput<"transform">): StageOutput<"transform"> => ({
  ...input,
  value: input.value * 2,
  transformed_name: input.name.toUpperCase(),
  step2_completed: true,
});
