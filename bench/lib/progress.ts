import cliProgress from 'cli-progress';

/** A progress bar on stderr, so stdout keeps only the report. */
export interface Progress {
  /** Shows what runs now. */
  label(text: string): void;
  /** Counts one finished step. */
  tick(): void;
  /** Removes the bar's line; call before printing anything else. */
  stop(): void;
}

/** Starts a progress bar of `total` steps on stderr. */
export function createProgress(total: number): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{bar} {value}/{total} | {eta_formatted} left | {label}',
      etaBuffer: 6,
      hideCursor: true,
      clearOnComplete: true,
      // Piped to a file or a CI log, still say how far it got, every few seconds.
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { label: '' });
  return {
    label: (text) => bar.update({ label: text }),
    tick: () => bar.increment(),
    stop: () => bar.stop(),
  };
}
