import cliProgress from 'cli-progress';
import { collectSamples, type Job, jobCount, type ScenarioBase } from './suite.js';

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

/** A job as the bar shows it: "scenario 2, round 1/3: piscina". */
export function jobLabel(
  { scenario, contender, round }: Job<ScenarioBase>,
  rounds: number,
): string {
  return `scenario ${scenario.id}, round ${round}/${rounds}: ${contender}`;
}

/**
 * {@link collectSamples} under a progress bar on stderr: each job shown as {@link jobLabel} while
 * it runs (`measure` may add a detail: "…: piscina, 1 thread") and counted once it resolved; the
 * bar is removed at the end, whether the jobs succeeded or not.
 */
export async function collectWithProgress<S extends ScenarioBase, M>(
  scenarios: readonly S[],
  rounds: number,
  measure: (job: Job<S>, detail: (text: string) => void) => Promise<M>,
): Promise<Map<S, Map<string, M[]>>> {
  const progress = createProgress(jobCount(scenarios, rounds));
  const measureOne = async (job: Job<S>): Promise<M> => {
    const at = jobLabel(job, rounds);
    progress.label(at);
    const sample = await measure(job, (text) => progress.label(`${at}, ${text}`));
    progress.tick();
    return sample;
  };
  return collectSamples(scenarios, rounds, measureOne).finally(() => progress.stop());
}
