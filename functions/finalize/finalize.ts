import type { FinalizedPayload, TransformedPayload } from "../../shared";

/** Stage 3: adds 5 to `value` and marks the payload `COMPLETED`. */
export const finalize = (input: TransformedPayload): FinalizedPayload => ({
  ...input,
  value: input.value + 5,
  step3_completed: true,
  status: "COMPLETED",
});
