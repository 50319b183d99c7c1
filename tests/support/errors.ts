/**
 * The error code threw, for tests that check its class and the fields it
 * promises, not only its message.
 */

/** What `run` threw; fails the test if it returned. */
export const thrownBy = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error to be thrown, but the call returned");
};

/** What `promise` rejected with; fails the test if it resolved. */
export const rejectionFrom = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject, but it resolved");
};
