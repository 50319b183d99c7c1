/**
 * Lambda handler of stage `add`.
 * Validates its event against the `add` input schema (so it can also be invoked
 * on its own), then returns `add`'s output. It keeps no state: invoking it
 * twice with the same event returns the same payload.
 */
import { PreparedPayloadSchema, processorHandler } from "../../shared";
import { add } from "./add";

export const handler = processorHandler("add", PreparedPayloadSchema, add);
