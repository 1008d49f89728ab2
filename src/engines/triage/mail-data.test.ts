import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseHostSnapshot } from '../../formats/host-snapshot/index.js';
import {
  buildCleanSnapshot,
  file,
  LOCAL,
  ROAMING,
  snapshotBytes,
} from '../../../test/builders/host-snapshot.js';
import { MAX_MAIL_DATA_FILES, mailDataFindings, mailDataKind } from './mail-data.js';
import { triageSnapshot } from './triage.js';

const parse = (files: ReturnType<typeof file>[]) => {
  const spec = buildCleanSnapshot();
  spec.files.push(...files);
  return parseHostSnapshot(snapshotBytes(spec)).snapshots[0]!;
};

describe('triage: mail data at risk', () => {
  test('mail-data: mail stores and address books are named by kind; other files are not', () => {
    assert.equal(
      mailDataKind(`${LOCAL}\\Microsoft\\Outlook\\taro@example.co.jp.ost`),
      'mail-store',
    );
    assert.equal(mailDataKind('C:\\Users\\taro\\Documents\\Outlook Files\\old.PST'), 'mail-store');
    assert.equal(mailDataKind(`${ROAMING}\\Microsoft\\Outlook\\Outlook.NK2`), 'address-book');
    assert.equal(
      mailDataKind(`${LOCAL}\\Microsoft\\Outlook\\RoamCache\\Stream_Autocomplete_0_ABC.dat`),
      'address-book',
    );
    assert.equal(mailDataKind('C:\\Users\\taro\\Contacts\\Hanako.contact'), 'address-book');
    assert.equal(mailDataKind(`${ROAMING}\\Microsoft\\Address Book\\taro.wab`), 'address-book');
    assert.equal(mailDataKind(`${LOCAL}\\Temp\\post.txt`), null);
    assert.equal(
      mailDataKind(`${LOCAL}\\Microsoft\\Outlook\\RoamCache\\Stream_Calendar.dat`),
      null,
    );
  });

  test('mail-data: one info finding on a host with an .ost and an .nk2; none without', () => {
    const snapshot = parse([
      file(`${LOCAL}\\Microsoft\\Outlook\\taro@example.co.jp.ost`),
      file(`${ROAMING}\\Microsoft\\Outlook\\Outlook.nk2`),
    ]);
    const [finding, ...rest] = mailDataFindings(snapshot, 512);
    assert.equal(rest.length, 0);
    assert.equal(finding!.id, 'triage.mail-data-at-risk');
    assert.equal(finding!.severity, 'info');
    assert.deepEqual(
      finding!.evidence.map((e) => e.note),
      ['mail-store', 'address-book'],
    );
    assert.deepEqual(mailDataFindings(parse([]), 512), []);
    const report = triageSnapshot(snapshot);
    assert.ok(
      report.findings.some((f) => f.id === 'triage.mail-data-at-risk'),
      'triageSnapshot reports it',
    );
    assert.equal(report.isInfected, false, 'mail data alone is no infection');
  });

  test('mail-data: at most MAX_MAIL_DATA_FILES paths, then the count', () => {
    const at = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        file(`C:\\Users\\taro\\Documents\\Outlook Files\\a${i}.pst`),
      );
    const exact = mailDataFindings(parse(at(MAX_MAIL_DATA_FILES)), 512)[0]!;
    assert.equal(exact.evidence.length, MAX_MAIL_DATA_FILES);
    const over = mailDataFindings(parse(at(MAX_MAIL_DATA_FILES + 1)), 512)[0]!;
    assert.equal(over.evidence.length, MAX_MAIL_DATA_FILES + 1);
    assert.equal(
      over.evidence.at(-1)!.note,
      `${MAX_MAIL_DATA_FILES + 1} mail data files in all, ${MAX_MAIL_DATA_FILES} shown`,
    );
  });
});
