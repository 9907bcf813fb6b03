/** BullMQ's sandboxed processor (`useWorkerThreads`) for the CPU-bound job of `cpu-work.mjs`. */
import work from './cpu-work.mjs';

export default async (job) => work(job.data);
