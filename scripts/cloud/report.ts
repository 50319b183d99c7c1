/**
 * What `npm run invoke` prints: `npm start`'s report and one-line JSON
 * (scripts/report/print.ts), with what only the cloud has: the execution's ARN,
 * and a warning when the history was cut short.
 */
import { toReport as commonReport } from "../report/print";
import type { CloudRun } from "./run";

export const toReport = (run: CloudRun, eventFile: string): string =>
  commonReport(run, eventFile, {
    header: [`Durable execution: ${run.executionArn}`],
    afterOperations: run.historyComplete
      ? []
      : ["  (the history did not show the execution's end in time: operations may be missing)"],
    checkpointed: run.checkpointBytesTruncated
      ? `at least ${run.checkpointBytes} bytes of step and invoke payloads (the history truncated some)`
      : undefined,
  });
