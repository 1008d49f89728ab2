import { parentPort } from 'node:worker_threads';
import { triageFile, type TriageOutcome, type TriageTaskLimits } from './analyze.js';

export interface TriageTask {
  id: number;
  path: string;
  limits: TriageTaskLimits;
}

export interface TriageReply {
  id: number;
  outcome: TriageOutcome;
}

// One task at a time per message; the pool keeps a few queued so the worker never waits on the main thread.
parentPort?.on('message', (task: TriageTask) => {
  void triageFile(task.path, task.limits).then((outcome) =>
    parentPort!.postMessage({ id: task.id, outcome } satisfies TriageReply),
  );
});
