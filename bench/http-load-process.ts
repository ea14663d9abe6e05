/**
 * The load generator as a child process (http-load.ts `runHttpLoadForked` forks it): autocannon gets its own
 * process, so that the service under test keeps its event loop and, on a machine with two cores or more, a
 * core to itself, as a screening client on another machine would leave it.
 *
 * Protocol: the parent sends one HttpLoadOptions; the child answers `{ ok: true, result }` or
 * `{ ok: false, error }` and exits.
 */
import { runHttpLoad, type HttpLoadOptions } from './http-load.js';

process.once('message', (options: HttpLoadOptions) => {
  runHttpLoad(options).then(
    (result) => process.send!({ ok: true, result }, () => process.exit(0)),
    (err: unknown) => process.send!({ ok: false, error: err instanceof Error ? err.message : String(err) }, () => process.exit(0)),
  );
});
process.send?.({ ready: true });
