/**
 * A processor's Lambda handler: it validates its event against its stage's
 * input schema (so it can also be invoked on its own), runs the stage's logic
 * and returns its output. It keeps no state: the same event always returns the
 * same payload.
 */
import { TransformedPayloadSchema, processorHandler } from "../../shared";
import { finalize } from "./finalize";

export const handler = processorHandler("finalize", TransformedPayloadSchema, finalize);
