/**
 * Wait for the Pulumi mocks instead of sleeping: every resource registration (and invoke) the SDK starts is
 * chained onto one promise, `settings.rpcDone` (@pulumi/pulumi 3.248.0 runtime/settings.js `rpcKeepAlive`). This
 * waits until that chain stops growing, i.e. every registration started so far — and every one they started —
 * has reached the mock monitor.
 */
export async function allRegistrations(): Promise<void> {
  const { getStore } = require('@pulumi/pulumi/runtime/state');
  const settings = getStore().settings;
  for (;;) {
    const chain = settings.rpcDone;
    await chain;
    // let the continuations of the awaited registrations run (they may register more) before looking again
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (settings.rpcDone === chain) {
      return;
    }
  }
}
