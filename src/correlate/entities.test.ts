import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  entitiesOf,
  fileKey,
  MAX_ENTITIES_PER_FINDING,
  mailboxAccountKeys,
  userAccountKey,
} from './entities.js';

test('entities: hashes, IPs, URLs (comma-separated too), domains, document names and users from evidence', () => {
  const sha = 'AB'.repeat(32);
  const got = entitiesOf([
    {
      text: 'ip 203.0.113.5 (feodotracker)',
      note: 'PC-01 2024-01-10T00:00:00Z | user=CORP\\taro | sha256=' + sha.toLowerCase(),
    },
    { text: 'http://203.0.113.10/a.dll,https://invoice.example.com/b.dll' },
    {
      text: 'QueryName: c2.example.net',
      location: 'C:\\Users\\taro\\Downloads\\請求書_202611.docm',
    },
  ]);
  const by = (kind: string) => got.filter((e) => e.kind === kind).map((e) => e.value);
  assert.deepEqual(by('sha256'), [sha.toLowerCase()]);
  assert.deepEqual(by('ip'), ['203.0.113.5', '203.0.113.10']);
  assert.deepEqual(by('url'), ['http://203.0.113.10/a.dll', 'https://invoice.example.com/b.dll']);
  assert.deepEqual(by('domain'), ['c2.example.net']);
  assert.deepEqual(by('file'), ['請求書_202611.docm']);
  assert.deepEqual(by('user'), ['CORP\\taro']);
});

test('entities: the host and time that open a hunt note are no indicators', () => {
  assert.deepEqual(entitiesOf([{ note: '10.20.30.41 2024-01-10T00:00:00Z' }]), []);
});

test('entities: at most MAX_ENTITIES_PER_FINDING per finding, exactly that many kept', () => {
  const ips = (n: number) => Array.from({ length: n }, (_, i) => `198.51.100.${i}`).join(' ');
  assert.equal(
    entitiesOf([{ text: ips(MAX_ENTITIES_PER_FINDING) }]).length,
    MAX_ENTITIES_PER_FINDING,
  );
  assert.equal(
    entitiesOf([{ text: ips(MAX_ENTITIES_PER_FINDING + 1) }]).length,
    MAX_ENTITIES_PER_FINDING,
  );
});

test('entities: account keys tie VICTIM\\taro to taro@victim.example.co.jp, not to other domains', () => {
  assert.equal(userAccountKey('VICTIM\\Taro'), 'account:taro@victim');
  assert.equal(userAccountKey('NT AUTHORITY\\SYSTEM'), null);
  assert.equal(userAccountKey('taro'), null);
  assert.deepEqual(mailboxAccountKeys('Taro@victim.example.co.jp'), [
    'account:taro@victim',
    'account:taro@example',
  ]);
  assert.deepEqual(mailboxAccountKeys('no-at-sign'), []);
  assert.equal(fileKey('C:\\a\\b\\Invoice.DOC'), 'invoice.doc');
});
