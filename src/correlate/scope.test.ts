import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptyExtracted, type ScanResult } from '../core/index.js';
import { openSqliteStore } from '../store/index.js';
import { buildIncidentView, correlate } from './index.js';

const snapshot = (): ScanResult => ({
  path: 'snapshots/pc-01.json',
  sha256: 'e'.repeat(64),
  size: 1,
  type: 'host-snapshot',
  verdict: 'malicious',
  findings: [
    {
      id: 'triage.emocheck-v4-rundll32-dll',
      title: 'Emotet DLL',
      severity: 'critical',
      step: '6',
      attack: ['T1218.011'],
      evidence: [{ location: 'process 4242', text: 'C:\\Users\\taro\\AppData\\Local\\x.dll' }],
    },
    {
      id: 'triage.mail-data-at-risk',
      title: 'Outlook data files and address books on the host',
      severity: 'info',
      step: '6',
      attack: ['T1114.001'],
      evidence: [
        {
          location: 'file',
          text: 'C:\\Users\\taro\\AppData\\Local\\Microsoft\\Outlook\\taro@example.co.jp.ost',
          note: 'mail-store',
        },
        {
          location: 'file',
          text: 'C:\\Users\\taro\\AppData\\Roaming\\Microsoft\\Outlook\\Outlook.nk2',
          note: 'address-book',
        },
        { note: '2 mail data files in all, 2 shown' },
      ],
    },
  ],
  extracted: emptyExtracted(),
  children: [],
});

describe('correlate: affected data', () => {
  test('scope: the mail stores and address books a triage listing found are affected data', async () => {
    const store = openSqliteStore(':memory:');
    await store.migrate();
    const scanId = await store.beginScan({ command: 'triage', args: [], host: 'soc-1' });
    await store.saveResults(scanId, [snapshot()], { host: 'PC-01' });
    const { created } = await correlate(store);
    const view = await buildIncidentView(store, created[0]!);
    assert.deepEqual(
      view.scope.affectedData?.map((d) => [d.host, d.kind, d.path.split('\\').pop()]),
      [
        ['PC-01', 'mail-store', 'taro@example.co.jp.ost'],
        ['PC-01', 'address-book', 'Outlook.nk2'],
      ],
    );
    assert.deepEqual(view.scope.externalContacts, [], 'no address is invented from a file name');
    await store.close();
  });
});
