import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { isKnownTechnique } from '../../core/index.js';
import { makeContext } from '../../../test/support/engine-context.js';
import { buildIocSet, createHashIocEngine, HASH_IOC_FINDINGS } from './index.js';

const bytes = new TextEncoder().encode('inert test payload: not malware\n');
const hex = (algo: string) => createHash(algo).update(bytes).digest('hex');

describe('ioc: hash engine for scanned files', () => {
  test('an artifact whose SHA-256 a feed lists → critical finding naming the feed and family', async () => {
    const engine = createHashIocEngine(
      buildIocSet([
        { type: 'sha256', value: hex('sha256'), source: 'misp:CIRCL', malware: 'Emotet' },
      ]),
    );
    const out = await engine.analyze(makeContext(bytes, { name: 'loader.bin', type: 'unknown' }));
    assert.deepEqual(out.findings, [
      {
        id: 'ioc.known-malicious-file',
        title: 'File listed by a threat-intel feed (hash match)',
        severity: 'critical',
        step: '5',
        attack: ['T1105'],
        evidence: [
          {
            text: `sha256 ${hex('sha256')}`,
            location: 'loader.bin',
            note: 'listed by misp:CIRCL as Emotet',
          },
        ],
      },
    ]);
  });

  test('MD5 and SHA-1 are computed only when such indicators exist; documents and mails get their own step', async () => {
    const md5 = createHashIocEngine(
      buildIocSet([{ type: 'md5', value: hex('md5'), source: 'threatfox' }]),
    );
    const doc = await md5.analyze(makeContext(bytes, { name: 'invoice.doc', type: 'ole' }));
    assert.deepEqual(
      doc.findings!.map((f) => [f.id, f.step]),
      [['ioc.known-malicious-document', '2']],
    );
    const sha1 = createHashIocEngine(
      buildIocSet([{ type: 'sha1', value: hex('sha1'), source: 'x' }]),
    );
    const mail = await sha1.analyze(makeContext(bytes, { name: 'm.eml', type: 'eml' }));
    assert.deepEqual(
      mail.findings!.map((f) => [f.id, f.step]),
      [['ioc.known-malicious-mail', '1']],
    );
  });

  test('Excel 2.x–4.0 sheets (biff, the .xlm macro sheets) are documents, step 2, like .xls and SYLK', async () => {
    const engine = createHashIocEngine(
      buildIocSet([{ type: 'sha256', value: hex('sha256'), source: 'x' }]),
    );
    for (const type of ['biff', 'sylk', 'ole'] as const) {
      const out = await engine.analyze(makeContext(bytes, { name: 'macro.xlm', type }));
      assert.deepEqual(
        out.findings!.map((f) => [f.id, f.step]),
        [['ioc.known-malicious-document', '2']],
        type,
      );
    }
  });

  test('no listed hash → no finding; the engine runs on every type and declares its findings', async () => {
    const engine = createHashIocEngine(
      buildIocSet([{ type: 'sha256', value: 'ab'.repeat(32), source: 'x' }]),
    );
    assert.deepEqual((await engine.analyze(makeContext(bytes))).findings, []);
    assert.equal(engine.types, '*');
    assert.deepEqual(engine.findings, HASH_IOC_FINDINGS);
    for (const f of HASH_IOC_FINDINGS)
      assert.ok(f.def.attack.every(isKnownTechnique) && f.def.id.startsWith('ioc.'));
  });
});
