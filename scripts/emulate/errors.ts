/**
 * What stops `npm run emulate` before an execution starts: no build, no
 * Python to install the emulator with, a port taken, a server that did not
 * come up. The tool prints the message (and the log, if any) and exits 2.
 */
export class SetupError extends Error {
  override readonly name = "SetupError";

  constructor(
    message: string,
    /** The failing server's log, printed after the message. */
    readonly log?: string,
  ) {
    super(message);
  }
}
