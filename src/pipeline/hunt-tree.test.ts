import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildLogEvent, SECURITY, sysmonProcess } from '../../test/builders/winevent.js';
import type { Detection, LogEvent } from '../core/index.js';
import {
  MAX_TREE_ANCESTORS,
  MAX_TREE_PROCESSES,
  MAX_TREE_WIDTH,
  ProcessTreeIndex,
  renderProcessTree,
  type ProcessTreeNode,
} from './hunt-tree.js';

const guid = (n: number) => `{00000000-0000-0000-0000-${String(n).padStart(12, '0')}}`;
const start = (n: number, parent: number, image: string, extra: Record<string, string> = {}) =>
  sysmonProcess(
    {
      ProcessGuid: guid(n),
      ProcessId: String(n),
      ParentProcessGuid: guid(parent),
      ParentProcessId: String(parent),
      Image: image,
      CommandLine: image.split('\\').pop()!,
      ...extra,
    },
    { recordId: n },
  );
const detectionOn = (event: LogEvent): Detection => ({
  rule: { id: 'r', title: 'r', level: 'high' },
  source: event.source,
  step: '4',
  attack: [],
  event: event.data,
});
const shape = (n: ProcessTreeNode): unknown => [
  n.image.split('\\').pop(),
  ...(n.match ? ['*'] : []),
  ...(n.more ? [`+${n.more}`] : []),
  ...n.children.map(shape),
];

describe('process trees around detections', () => {
  test('Sysmon 1 by ProcessGuid: unseen parents head the tree from ParentImage, the match is marked', () => {
    const index = new ProcessTreeIndex();
    const events = [
      start(10, 1, 'C:\\Program Files\\Microsoft Office\\WINWORD.EXE', {
        ParentImage: 'C:\\Windows\\explorer.exe',
      }),
      start(20, 2, 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', {
        ParentImage: 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
      }),
      start(30, 20, 'C:\\Windows\\System32\\rundll32.exe'),
      start(31, 20, 'C:\\Windows\\System32\\conhost.exe'),
    ];
    for (const e of events) index.add(e);
    const tree = index.treeFor(detectionOn(events[2]!));
    assert.equal(tree?.host, 'WS01.example.com');
    assert.deepEqual(shape(tree!.root), [
      'WmiPrvSE.exe',
      ['powershell.exe', ['rundll32.exe', '*'], ['conhost.exe']],
    ]);
    assert.equal(tree!.root.children[0]!.children[0]!.processGuid, guid(30));
    assert.equal(tree!.root.children[0]!.children[0]!.recordId, 30);
    assert.equal(tree!.truncated, undefined);
  });

  test('Security 4688: pid + logon id, so a reused pid under another logon is another process', () => {
    const e4688 = (
      pid: string,
      parentPid: string,
      image: string,
      logon: string,
      recordId: number,
    ) =>
      buildLogEvent({
        channel: SECURITY,
        eventId: 4688,
        recordId,
        data: {
          NewProcessId: pid,
          ProcessId: parentPid,
          NewProcessName: image,
          ParentProcessName: 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
          SubjectLogonId: logon,
          TargetLogonId: '0x0',
          SubjectUserName: 'alice',
          CommandLine: image,
        },
      });
    const index = new ProcessTreeIndex();
    const ps = e4688('0x100', '0x50', 'C:\\x\\powershell.exe', '0xaaa', 1);
    const other = e4688('0x100', '0x60', 'C:\\x\\notepad.exe', '0xbbb', 2);
    const payload = e4688('0x200', '0x100', 'C:\\x\\rundll32.exe', '0xaaa', 3);
    for (const e of [ps, other, payload]) index.add(e);
    const tree = index.treeFor(detectionOn(payload));
    assert.deepEqual(shape(tree!.root), [
      'WmiPrvSE.exe',
      ['powershell.exe', ['rundll32.exe', '*']],
    ]);
    assert.equal(tree!.root.children[0]!.pid, 0x100);
  });

  test('a PowerShell 4104 detection finds its process by System/Execution/@ProcessID', () => {
    const index = new ProcessTreeIndex();
    index.add(start(2000, 1, 'C:\\x\\powershell.exe'));
    const block = buildLogEvent({
      channel: 'Microsoft-Windows-PowerShell/Operational',
      eventId: 4104,
      data: { ScriptBlockText: 'x' },
    });
    assert.deepEqual(shape(index.treeFor(detectionOn(block))!.root), [
      'explorer.exe',
      ['powershell.exe', '*'],
    ]);
    const unrelated = buildLogEvent({
      channel: 'System',
      eventId: 7045,
      data: { ServiceName: 's' },
    });
    (unrelated.data.Event as { System: { Execution: unknown } }).System.Execution = {};
    assert.equal(index.treeFor(detectionOn(unrelated)), undefined);
  });

  test('width bound: MAX_TREE_WIDTH children shown, the rest counted; the matching branch is never cut', () => {
    const index = new ProcessTreeIndex();
    index.add(start(1, 0, 'C:\\x\\services.exe', { ParentImage: '' }));
    const kids = Array.from({ length: MAX_TREE_WIDTH + 1 }, (_, i) =>
      start(100 + i, 1, `C:\\x\\child${i}.exe`),
    );
    for (const k of kids) index.add(k);
    const atLimit = index.treeFor(detectionOn(kids[MAX_TREE_WIDTH - 1]!))!;
    assert.equal(atLimit.root.children.length, MAX_TREE_WIDTH);
    assert.equal(atLimit.root.more, 1);
    assert.equal(atLimit.truncated, true);
    const last = index.treeFor(detectionOn(kids[MAX_TREE_WIDTH]!))!;
    assert.equal(last.root.children[0]!.match, true, 'the detection branch comes first');
  });

  test('ancestors are walked up to MAX_TREE_ANCESTORS, and a parent loop in a hostile log ends', () => {
    const index = new ProcessTreeIndex();
    const chain = Array.from({ length: MAX_TREE_ANCESTORS + 3 }, (_, i) =>
      start(i + 1, i, `C:\\x\\p${i + 1}.exe`),
    );
    for (const e of chain) index.add(e);
    const tree = index.treeFor(detectionOn(chain.at(-1)!))!;
    let depth = 0;
    for (let n = tree.root; n.children.length > 0; n = n.children[0]!) depth++;
    assert.equal(depth, MAX_TREE_ANCESTORS);
    const loop = new ProcessTreeIndex();
    const a = start(5, 6, 'C:\\x\\a.exe');
    const b = start(6, 5, 'C:\\x\\b.exe');
    loop.add(a);
    loop.add(b);
    assert.ok(loop.treeFor(detectionOn(b)), 'a tree despite the loop');
  });

  test('memory: at most maxProcesses (≤ MAX_TREE_PROCESSES) are remembered, the oldest forgotten first', () => {
    const MAX = 500;
    const index = new ProcessTreeIndex({ maxProcesses: MAX });
    assert.equal(new ProcessTreeIndex({ maxProcesses: 1e9 })['maxProcesses'], MAX_TREE_PROCESSES);
    const first = start(1, 0, 'C:\\x\\first.exe', { ParentImage: '' });
    index.add(first);
    for (let i = 2; i <= MAX; i++) {
      index.add(start(i, 0, 'C:\\x\\p.exe', { ParentImage: '' }));
    }
    assert.equal(index.size, MAX);
    assert.ok(index.treeFor(detectionOn(first)), 'still known at the limit');
    index.add(start(MAX + 1, 0, 'C:\\x\\p.exe', { ParentImage: '' }));
    assert.equal(index.size, MAX);
    assert.equal(index.treeFor(detectionOn(first)), undefined);
  });

  test('text rendering indents one level per generation and marks the match', () => {
    const index = new ProcessTreeIndex();
    const e = start(20, 2, 'C:\\x\\powershell.exe', { ParentImage: 'C:\\x\\WmiPrvSE.exe' });
    index.add(e);
    const lines = renderProcessTree(index.treeFor(detectionOn(e))!, (n) => n.image, '');
    assert.deepEqual(lines, ['C:\\x\\WmiPrvSE.exe', '  └ C:\\x\\powershell.exe ◀']);
  });
});
