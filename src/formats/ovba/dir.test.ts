import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Anomaly } from '../../core/index.js';
import { buildDir, concat, dirRecord, registeredReference } from '../../../test/builders/ovba.js';
import { parseDir } from './index.js';

const codes = (anomalies: Anomaly[]): string[] => anomalies.map((a) => a.code);

describe('ovba: dir stream (MS-OVBA 2.3.4.2)', () => {
  it('reads project information and modules with every optional record present', () => {
    const anomalies: Anomaly[] = [];
    const dir = parseDir(
      buildDir({
        hasCompatVersion: true,
        projectName: 'Invoice',
        modules: [
          { name: 'ThisDocument', type: 0x22, textOffset: 1234 },
          { name: 'Module1', isReadOnly: true, isPrivate: true },
        ],
      }),
      anomalies,
    );
    assert.deepEqual(anomalies, []);
    assert.equal(dir.compatVersion, 2);
    assert.equal(dir.sysKind, 1);
    assert.equal(dir.codePage, 1252);
    assert.equal(dir.projectName, 'Invoice');
    assert.deepEqual(dir.modules, [
      {
        name: 'ThisDocument',
        streamName: 'ThisDocument',
        textOffset: 1234,
        typeRecord: 0x22,
        isReadOnly: false,
        isPrivate: false,
      },
      {
        name: 'Module1',
        streamName: 'Module1',
        textOffset: 0,
        typeRecord: 0x21,
        isReadOnly: true,
        isPrivate: true,
      },
    ]);
  });

  it('reads a dir stream without PROJECTCOMPATVERSION and MODULENAMEUNICODE (older Office)', () => {
    const anomalies: Anomaly[] = [];
    const dir = parseDir(
      buildDir({ modules: [{ name: 'Module1', hasUnicodeName: false }] }),
      anomalies,
    );
    assert.deepEqual(anomalies, []);
    assert.equal(dir.compatVersion, undefined);
    assert.equal(dir.modules[0]?.name, 'Module1');
  });

  it('keeps records after PROJECTVERSION aligned despite its size field saying 4', () => {
    // buildDir writes PROJECTVERSION with Reserved=4 and 6 data bytes, then PROJECTCONSTANTS.
    const dir = parseDir(buildDir({ modules: [{ name: 'A' }, { name: 'B' }] }));
    assert.deepEqual(
      dir.modules.map((m) => m.name),
      ['A', 'B'],
    );
  });

  it('decodes MBCS names in PROJECTCODEPAGE and prefers the unicode stream name', () => {
    const sjis = new Uint8Array([0x83, 0x82, 0x83, 0x57, 0x83, 0x85, 0x81, 0x5b, 0x83, 0x8b]); // モジュール
    const dir = parseDir(
      buildDir({
        codePage: 932,
        modules: [{ name: 'モジュール', nameBytes: sjis, hasUnicodeName: false }],
      }),
    );
    assert.equal(dir.codePage, 932);
    assert.equal(dir.modules[0]?.name, 'モジュール');
    assert.equal(dir.modules[0]?.streamName, 'モジュール');
  });

  it('skips unknown records by their size → E_OVBA_DIR_UNKNOWN_RECORD', () => {
    const anomalies: Anomaly[] = [];
    const dir = parseDir(
      buildDir({ extra: [dirRecord(0x7777, new Uint8Array(9))], modules: [{ name: 'M' }] }),
      anomalies,
    );
    assert.deepEqual(codes(anomalies), ['E_OVBA_DIR_UNKNOWN_RECORD']);
    assert.equal(dir.modules[0]?.name, 'M');
  });

  it('reads references with their names and libids', () => {
    const libid = '*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#stdole2.tlb#OLE Automation';
    const dir = parseDir(
      buildDir({ extra: [registeredReference('stdole', libid)], modules: [{ name: 'M' }] }),
    );
    assert.deepEqual(dir.references, [{ kind: 'registered', name: 'stdole', libid }]);
  });

  it('truncated dir stream → E_OVBA_DIR_TRUNCATED with the modules read so far', () => {
    const full = buildDir({ modules: [{ name: 'First' }, { name: 'Second' }] });
    const anomalies: Anomaly[] = [];
    const dir = parseDir(full.subarray(0, full.length - 40), anomalies);
    assert.ok(codes(anomalies).includes('E_OVBA_DIR_TRUNCATED'));
    assert.equal(dir.modules[0]?.name, 'First');
  });

  it('record size past the end → E_OVBA_DIR_TRUNCATED, no throw', () => {
    const anomalies: Anomaly[] = [];
    const bytes = concat(
      dirRecord(0x0001, new Uint8Array(4)),
      new Uint8Array([0x04, 0, 0xff, 0xff, 0xff, 0x7f]),
    );
    parseDir(bytes, anomalies);
    assert.deepEqual(codes(anomalies), ['E_OVBA_DIR_TRUNCATED']);
  });

  it('PROJECTMODULES count that disagrees → E_OVBA_DIR_MODULE_COUNT', () => {
    const anomalies: Anomaly[] = [];
    parseDir(buildDir({ declaredModules: 5, modules: [{ name: 'M' }] }), anomalies);
    assert.deepEqual(codes(anomalies), ['E_OVBA_DIR_MODULE_COUNT']);
  });

  it('module record before any MODULENAME → E_OVBA_DIR_BAD_RECORD', () => {
    const anomalies: Anomaly[] = [];
    parseDir(buildDir({ extra: [dirRecord(0x0031, new Uint8Array(4))], modules: [] }), anomalies);
    assert.deepEqual(codes(anomalies), ['E_OVBA_DIR_BAD_RECORD']);
  });

  it('garbage never throws', () => {
    for (let seed = 1; seed < 200; seed++) {
      const bytes = buildDir({ modules: [{ name: 'M' }, { name: 'N', type: 0x22 }] });
      for (let i = 0; i < 6; i++)
        bytes[(seed * 7919 * (i + 1)) % bytes.length] = (seed * 31 + i) & 0xff;
      parseDir(bytes);
    }
  });
});
