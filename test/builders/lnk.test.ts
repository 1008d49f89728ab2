import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLnk } from '../../src/formats/lnk/index.js';
import { buildEmotetFindstrLnk, buildLnk, type LnkSpec } from './lnk.js';

test('lnk builder round trip: every field written is read back', () => {
  const spec: LnkSpec = {
    target: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    localBasePath: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    name: 'Invoice',
    relativePath: '..\\..\\Windows\\System32\\cmd.exe',
    workingDir: '%TEMP%',
    arguments: '-w hidden -c "echo 1"',
    iconLocation: 'C:\\Windows\\System32\\imageres.dll',
    iconIndex: 2,
    showCommand: 7,
    environmentTarget: '%windir%\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    knownFolderId: '{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}',
    tracker: { machineId: 'win-builder01', mac: '00:0c:29:aa:bb:cc' },
    propertyStrings: ['C:\\Windows\\System32\\cmd.exe'],
  };
  const link = parseLnk(buildLnk(spec));
  assert.deepEqual(link.anomalies, []);
  assert.equal(link.idListPath, spec.target);
  assert.equal(link.linkInfo?.localBasePath, spec.localBasePath);
  assert.equal(link.linkInfo?.volumeLabel, 'DATA');
  assert.equal(link.linkInfo?.driveSerialNumber, 0x1234abcd);
  assert.deepEqual(link.strings, {
    name: spec.name,
    relativePath: spec.relativePath,
    workingDir: spec.workingDir,
    arguments: spec.arguments,
    iconLocation: spec.iconLocation,
  });
  assert.equal(link.header.iconIndex, 2);
  assert.equal(link.header.showCommand, 7);
  assert.equal(link.header.creationTime, '2022-04-25T09:00:00.000Z');
  assert.equal(link.extra.environmentTarget, spec.environmentTarget);
  assert.equal(link.target, spec.environmentTarget);
  assert.equal(link.extra.knownFolderId, spec.knownFolderId);
  assert.equal(link.extra.tracker?.machineId, 'win-builder01');
  assert.equal(link.extra.tracker?.macAddress, '00:0c:29:aa:bb:cc');
  assert.deepEqual(link.extra.propertyStrings, ['C:\\Windows\\System32\\cmd.exe']);
  assert.equal(link.trailing, undefined);
});

test('lnk builder round trip: ANSI strings, network path, no IDList', () => {
  const link = parseLnk(
    buildLnk({ unicode: false, netName: '\\\\198.51.100.4\\share', arguments: 'a b' }),
  );
  assert.deepEqual(link.anomalies, []);
  assert.equal(link.linkInfo?.netName, '\\\\198.51.100.4\\share');
  assert.equal(link.target, '\\\\198.51.100.4\\share');
  assert.equal(link.strings.arguments, 'a b');
});

test('lnk builder: the Emotet findstr shortcut carries its script after the terminal block', () => {
  const bytes = buildEmotetFindstrLnk();
  const link = parseLnk(bytes);
  assert.ok(link.trailing && link.trailing.length > 100);
  const tail = new TextDecoder().decode(bytes.subarray(link.trailing.offset));
  assert.match(tail, /glKmfOKnQLYKnNs=1::Set x = CreateObject/);
  assert.match(link.strings.arguments ?? '', /^ {180}\/v:on \/c findstr/);
});
