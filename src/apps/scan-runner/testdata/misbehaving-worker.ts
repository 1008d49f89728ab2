// A stand-in scan worker for pool tests: answers like the real one, but hangs or dies on request.
import { parentPort } from 'node:worker_threads';

parentPort!.on('message', (request: { id: number; path: string }) => {
  if (request.path === 'hang') for (;;);
  if (request.path === 'exit') process.exit(3);
  if (request.path === 'throw') throw new Error('worker blew up');
  // Busy for N ms, as a slow input keeps a worker busy (synchronously, like a parser).
  const busy = /^busy-(\d+)/.exec(request.path);
  if (busy) for (const until = Date.now() + Number(busy[1]); Date.now() < until;);
  parentPort!.postMessage({
    id: request.id,
    ok: false,
    code: 'E_TEST_ECHO',
    message: request.path,
  });
});
parentPort!.postMessage('ready');
