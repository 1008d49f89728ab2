import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProgressBar } from './progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return {
    writes,
    stream: {
      isTTY,
      columns: 80,
      write: (s: string) => writes.push(s),
    } as unknown as NodeJS.WriteStream,
  };
}

test('progress: draws on a terminal, erases itself when done', () => {
  const { writes, stream } = fakeStream(true);
  const bar = createProgressBar(stream);
  bar.update({ done: 1, found: 2, walking: false, bytes: 2048, current: 'a.doc' });
  bar.done();
  assert.match(writes[0]!, /^\r.*1\/2 files .*a\.doc/);
  assert.match(writes.at(-1)!, /^\r +\r$/);
});

test('progress: silent when stderr is not a terminal, or when disabled', () => {
  for (const [tty, enabled] of [
    [false, true],
    [true, false],
  ] as const) {
    const { writes, stream } = fakeStream(tty);
    const bar = createProgressBar(stream, enabled);
    bar.update({ done: 1, found: 1, walking: false, bytes: 1 });
    bar.done();
    assert.deepEqual(writes, []);
  }
});

test('progress: control characters in file names cannot drive the terminal', () => {
  const { writes, stream } = fakeStream(true);
  createProgressBar(stream).update({
    done: 0,
    found: 1,
    walking: false,
    bytes: 0,
    current: 'x\u001b[2Jy',
  });
  assert.ok(!writes[0]!.slice(1).includes('\u001b'));
});
