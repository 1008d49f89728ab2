// A triage worker that takes tasks and never answers (a limit check that never runs): the pool's
// watchdog must replace it.
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', () => {
  // never answers
});
