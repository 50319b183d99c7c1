/**
 * Lambda handler of stage `finalize`.
 * Validates its event against the `finalize` input schema, then returns
 * `finalize`'s output. Stateless and idempotent.
 */
import { TransformedPayloadSchema, processorHandler } from "../../shared";
import { finalize } from "./finalize";

export const handler = processorHandler("finalize", TransformedPayloadSchema, finalize);
