// Waiting for a condition with a deadline, for the web tests that watch a mount or a page
// change (model_test.mjs, browser/dashboard_test.mjs): never a fixed sleep.

/**
 * Polls `condition` every 50 ms until it holds (an exception counts as not yet), for at most
 * `seconds`; then fails naming `what` and the last exception.
 * @param {string} what
 * @param {() => Promise<boolean> | boolean} condition
 * @param {number} [seconds]
 */
export async function eventually(what, condition, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  let last = null;
  for (;;) {
    try {
      if (await condition()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${seconds} s${last ? ` (${last.message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
