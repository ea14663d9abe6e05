/**
 * A progress bar on stderr for long work, only when stderr is a terminal (CI logs stay clean).
 */
import cliProgress from 'cli-progress';

export interface ProgressReporter {
  update(done: number, total: number | undefined, label: string): void;
  stop(): void;
}

export function progressBar(enabled = process.stderr.isTTY === true): ProgressReporter {
  if (!enabled) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '{label} [{bar}] {value}/{total} blocks | {eta_formatted} left', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, label) {
      const t = total ?? Math.max(done, 1);
      if (!started) {
        bar.start(t, done, { label });
        started = true;
      } else {
        bar.setTotal(t);
        bar.update(done, { label });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
