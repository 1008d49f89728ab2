import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decryptProjectData, encryptProjectData, parseProjectText } from './index.js';

// A PROJECT stream pair seen in Office output: its CMG decrypts to ProjectProtectionState 0.
const ID = '{9E76F5A0-DAC8-4521-BCEF-644697F88708}';
const CMG = '1715EF1A11262C2A2C2A2C2A2C2A';

describe('ovba: PROJECT stream (MS-OVBA 2.3.1, 2.4.3)', () => {
  it('decrypts an Office CMG value (2.4.3.3)', () => {
    const result = decryptProjectData(CMG)!;
    assert.equal(result.version, 2);
    assert.deepEqual([...result.data], [0, 0, 0, 0]);
  });

  it('encrypts to the same bytes as Office for the same seed (2.4.3.2)', () => {
    assert.equal(encryptProjectData(ID, new Uint8Array(4), 0x17), CMG);
  });

  it('round-trips every seed and data length', () => {
    for (let seed = 0; seed < 256; seed += 17) {
      const data = new Uint8Array(seed % 29).map((_, i) => i * seed);
      assert.deepEqual(decryptProjectData(encryptProjectData(ID, data, seed))?.data, data);
    }
  });

  it('rejects malformed hex and lengths that do not match', () => {
    assert.equal(decryptProjectData('zz'), undefined);
    assert.equal(decryptProjectData(''), undefined);
    assert.equal(decryptProjectData(CMG.slice(0, -2)), undefined);
  });

  it('reads properties of the first section and module kinds', () => {
    const text =
      'ID="{1}"\r\nDocument=ThisDocument/&H00000000\r\nModule=Module1\r\nClass=Class1\r\n' +
      'BaseClass=UserForm1\r\nName="VBAProject"\r\n\r\n[Workspace]\r\nModule=Ignored\r\n';
    const { properties, modules } = parseProjectText(text);
    assert.equal(properties.get('Name'), '"VBAProject"');
    assert.deepEqual(Object.fromEntries(modules), {
      THISDOCUMENT: 'document',
      MODULE1: 'procedural',
      CLASS1: 'class',
      USERFORM1: 'class',
    });
  });
});
