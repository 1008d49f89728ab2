// A stand-in scan worker for pool tests: speaks the real protocol, but hangs or dies on request.
import { serveTasks } from '../pool-protocol.js';

serveTasks((task) => {
  if (task.path === 'hang') for (;;);
  if (task.path === 'exit') process.exit(3);
  if (task.path === 'throw') throw new Error('worker blew up');
  // Busy for N ms, as a slow input keeps a worker busy (synchronously, like a parser).
  const busy = /^busy-(\d+)/.exec(task.path);
  if (busy) for (const until = Date.now() + Number(busy[1]); Date.now() < until;);
  if (task.bytes) {
    const text = new TextDecoder().decode(new Uint8Array(task.bytes).slice());
    return {
      seq: task.seq,
      ok: false,
      code: 'E_TEST_ECHO',
      message: `${text.replace(':', ' ')} ${task.size}`,
    };
  }
  return { seq: task.seq, ok: false, code: 'E_TEST_ECHO', message: task.path };
});
