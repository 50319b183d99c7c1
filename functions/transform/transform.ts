import type { AddedPayload, TransformedPayload } from "../../shared";

/**
 * Stage 2: doubles `value` and upper-cases `name`. `toUpperCase` uses Unicode's
 * default case mapping, the same in every locale (Turkish case mapping,
 * `toLocaleUpperCase("tr")`, would turn `i` into `İ`).
 */
export const transform = (input: AddedPayload): TransformedPayload => ({
  ...input,
  value: input.value * 2,
  transformed_name: input.name.toUpperCase(),
  step2_completed: true,
});
