// A progress bar on stderr for the demo's steps that take more than a second; on a terminal only,
// so piped output (a test, a log) keeps just the lines that say what each step proves.
import cliProgress from 'cli-progress';

/** Counts `total` steps of `label` until stop(). */
export interface Bar {
  tick(): void;
  stop(): void;
}

export function progress(label: string, total: number): Bar {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `  {bar} {value}/{total} ${label}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: () => bar.increment(), stop: () => bar.stop() };
}
