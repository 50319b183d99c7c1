/**
 * Lambda handler of stage `transform`.
 * Validates its event against the `transform` input schema, then returns
 * `transform`'s output. Stateless and idempotent.
 */
import { AddedPayloadSchema, processorHandler } from "../../shared";
import { transform } from "./transform";

export const handler = processorHandler("transform", AddedPayloadSchema, transform);
