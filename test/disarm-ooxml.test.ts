import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_LIMITS, LimitError, type Finding, type Limits } from '../src/core/index.js';
import { readOoxml, readOoxmlPart, readPackageStrict } from '../src/formats/ooxml/index.js';
import { scanInput } from '../src/pipeline/index.js';
import { emotetXlmSpec } from './builders/biff.js';
import {
  buildActiveDocm,
  buildActivePptm,
  buildActiveXlsm,
  DDE_COMMAND,
  dropperProject,
  packageMembers,
  replaceMember,
  VISIBLE_TEXT,
  type ActiveDocmSpec,
} from './builders/ooxml-active.js';
import { buildCfb } from './builders/cfb.js';
import { buildXlsb } from './builders/xlsm.js';
import { buildDocx, complexField } from './builders/office.js';
import { buildOoxml, buildZip } from './builders/zip.js';
import { disarmOoxml } from '../src/engines/disarm/ooxml.js';
import type { DisarmOutcome, RemovalKind } from '../src/engines/disarm/types.js';

const options = { limits: DEFAULT_LIMITS };
const KINDS: NonNullable<ActiveDocmSpec['without']>[number][] = [
  'vba',
  'template',
  'ole',
  'activex',
  'dde',
  'include',
  'frame',
  'subdoc',
];
/** Findings a disarmed copy must not have: macros, XLM, DDE, remote templates and content, objects. */
const ACTIVE_FINDING =
  /^(?:vba|xlm)\.|^office\.(?:dde|remote-template|external|embedded|package|equation)/;

async function rescan(outcome: DisarmOutcome): Promise<Finding[]> {
  assert.equal(outcome.status, 'disarmed', outcome.reason);
  const result = await scanInput({ path: 'out', bytes: outcome.output! });
  assert.equal(result.verdict, 'clean', JSON.stringify(result.findings.map((f) => f.id)));
  assert.equal(result.children.length, 0);
  return result.findings;
}

async function partText(bytes: Uint8Array, name: string): Promise<string> {
  const pkg = await readOoxml(bytes);
  return new TextDecoder().decode(await readOoxmlPart(pkg, name, { maxBytes: 1 << 20 }));
}

const kindsOf = (outcome: DisarmOutcome): Set<RemovalKind> =>
  new Set(outcome.removed.map((r) => r.kind));

describe('disarmOoxml: Word', () => {
  test('a .docm with every kind of active content → .docx that re-scans clean, text kept', async () => {
    const input = buildActiveDocm();
    const before = await scanInput({ path: 'in.docm', bytes: input });
    assert.equal(before.verdict, 'malicious');
    const outcome = disarmOoxml(input, options);
    assert.equal(outcome.outputExtension, '.docx');
    assert.equal(outcome.outputType, 'ooxml');
    const findings = await rescan(outcome);
    assert.ok(!findings.some((f) => ACTIVE_FINDING.test(f.id)));
    for (const kind of [
      'vba-project',
      'ole-object',
      'activex',
      'remote-template',
      'dde-field',
    ] as const) {
      assert.ok(kindsOf(outcome).has(kind), kind);
    }
    const pkg = await readOoxml(outcome.output!);
    assert.equal(pkg.isMacroEnabled, false);
    assert.equal(pkg.anomalies.length, 0);
    assert.equal(pkg.vbaProjects.length + pkg.embeddings.length + pkg.macroSheets.length, 0);
    assert.deepEqual(
      pkg.externalRelationships.map((r) => r.typeName),
      ['hyperlink'],
    );
    assert.deepEqual(
      pkg.parts.map((p) => p.name).filter((n) => /vba|activeX|embeddings/i.test(n)),
      [],
    );
    const document = await partText(outcome.output!, 'word/document.xml');
    assert.ok(document.includes(VISIBLE_TEXT));
    assert.ok(document.includes('<w:t>result</w:t>'), 'the DDE field keeps its displayed result');
    assert.ok(document.includes('<w:t>logo</w:t>'), 'the INCLUDEPICTURE field keeps its result');
    assert.ok(!/instrText|fldChar|fldSimple|OLEObject|w:object|w:control|subDoc/.test(document));
    const settings = await partText(outcome.output!, 'word/settings.xml');
    assert.ok(!settings.includes('attachedTemplate'));
  });

  for (const kind of KINDS) {
    test(`a .docx carrying only ${kind} → that content removed, re-scan clean`, async () => {
      const input = buildActiveDocm({
        without: KINDS.filter((k) => k !== kind),
        mainType:
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
      });
      const outcome = disarmOoxml(input, options);
      assert.ok(outcome.removed.length > 0);
      assert.ok(!outcome.removed.some((r) => /macro-enabled content type/.test(r.detail ?? '')));
      await rescan(outcome);
      const document = await partText(outcome.output!, 'word/document.xml');
      assert.ok(document.includes(VISIBLE_TEXT));
    });
  }

  test('a .docx with nothing active → unchanged, the very same bytes', () => {
    const input = buildActiveDocm({
      without: KINDS,
      mainType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
    });
    const outcome = disarmOoxml(input, options);
    assert.equal(outcome.status, 'unchanged');
    assert.equal(outcome.output, input);
    assert.deepEqual(outcome.removed, []);
  });

  test('a .docm without a VBA project still becomes a .docx (content type converted)', async () => {
    const outcome = disarmOoxml(buildActiveDocm({ without: KINDS }), options);
    assert.equal(outcome.outputExtension, '.docx');
    assert.deepEqual([...kindsOf(outcome)], ['other']);
    await rescan(outcome);
  });

  test('a linked OLE object (oleObject, TargetMode External) → relationship removed, re-scan clean', async () => {
    const input = buildDocx({ oleLink: 'http://203.0.113.7/payload.hta' });
    assert.equal((await scanInput({ path: 'in.docx', bytes: input })).verdict, 'suspicious');
    const outcome = disarmOoxml(input, options);
    assert.ok(
      outcome.removed.some(
        (r) => r.kind === 'external-relationship' && /payload\.hta/.test(r.detail ?? ''),
      ),
    );
    await rescan(outcome);
  });

  test('a VBA project renamed and found only by its content type → removed with its relationship', async () => {
    const input = buildOoxml({
      files: {
        'word/document.xml': `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${VISIBLE_TEXT}</w:t></w:r></w:p></w:body></w:document>`,
        'word/media/logo.dat': dropperProject(),
      },
      contentTypes: {
        overrides: {
          'word/document.xml': 'application/vnd.ms-word.document.macroEnabled.main+xml',
          'word/media/logo.dat': 'application/vnd.ms-office.vbaProject',
        },
      },
      rels: {
        '': [
          {
            id: 'rId1',
            type: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument',
            target: 'word/document.xml',
          },
        ],
        'word/document.xml': [
          {
            id: 'rId9',
            type: 'http://schemas.microsoft.com/office/2006/relationships/vbaProject',
            target: 'media/logo.dat',
          },
        ],
      },
    });
    const outcome = disarmOoxml(input, options);
    assert.deepEqual(
      outcome.removed.filter((r) => r.kind === 'vba-project').map((r) => r.location),
      ['word/media/logo.dat'],
    );
    await rescan(outcome);
  });

  test('a main part without an .xml extension is still disarmed (found by its content type)', async () => {
    const field = complexField([DDE_COMMAND]);
    const input = buildOoxml({
      files: {
        'word/document': `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>${field}</w:p></w:body></w:document>`,
      },
      contentTypes: {
        overrides: {
          'word/document':
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
        },
      },
      rels: {
        '': [
          {
            id: 'rId1',
            type: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument',
            target: 'word/document',
          },
        ],
      },
    });
    assert.equal((await scanInput({ path: 'in.docx', bytes: input })).verdict, 'malicious');
    const outcome = disarmOoxml(input, options);
    assert.deepEqual([...kindsOf(outcome)], ['dde-field']);
    await rescan(outcome);
  });

  test('a .dotm template becomes a .dotx', () => {
    const outcome = disarmOoxml(
      buildActiveDocm({
        mainType: 'application/vnd.ms-word.template.macroEnabledTemplate.main+xml',
      }),
      options,
    );
    assert.equal(outcome.outputExtension, '.dotx');
  });
});

describe('disarmOoxml: Excel and PowerPoint', () => {
  test('an .xlsm → .xlsx without VBA, macro sheet, Auto_Open, DDE, OLE, controls; indexes renumbered', async () => {
    const input = buildActiveXlsm();
    const outcome = disarmOoxml(input, options);
    assert.equal(outcome.outputExtension, '.xlsx');
    await rescan(outcome);
    for (const kind of [
      'vba-project',
      'macro-sheet',
      'xlm-auto-name',
      'dde-field',
      'ole-object',
      'activex',
    ] as const) {
      assert.ok(kindsOf(outcome).has(kind), kind);
    }
    const workbook = await partText(outcome.output!, 'xl/workbook.xml');
    assert.ok(!/Macro1|Auto_Open|externalReference/.test(workbook), workbook);
    assert.ok(
      workbook.includes('localSheetId="1"'),
      'Print_Area follows its sheet from index 2 to 1',
    );
    assert.ok(workbook.includes('activeTab="1"'));
    assert.ok(workbook.includes('<definedName name="Total">Invoice!$B$1</definedName>'));
    const sheet = await partText(outcome.output!, 'xl/worksheets/sheet1.xml');
    assert.ok(sheet.includes(VISIBLE_TEXT));
    assert.ok(
      sheet.includes('<c r="B1"><v>0</v></c>'),
      'the DDE formula goes, its cached value stays',
    );
    assert.ok(sheet.includes('<f>SUM(1,2)</f>'));
    assert.ok(!/oleObject|control/.test(sheet));
    const pkg = await readOoxml(outcome.output!);
    assert.ok(!pkg.parts.some((p) => /calcChain|externalLink|macrosheets/i.test(p.name)));
  });

  for (const [kind, contentType, relType, folder] of [
    [
      'an international macro sheet',
      'application/vnd.ms-excel.intlmacrosheet+xml',
      'http://schemas.microsoft.com/office/2006/relationships/xlIntlMacrosheet',
      'macrosheets',
    ],
    [
      'a dialog sheet',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.dialogsheet+xml',
      'http://schemas.openxmlformats.org/officeDocument/2006/relationships/dialogsheet',
      'dialogsheets',
    ],
  ] as const) {
    test(`${kind} → removed like a macro sheet, with its <sheet> entry and Auto_Open`, async () => {
      const members = packageMembers(buildActiveXlsm()).map((m) => {
        const text = () => new TextDecoder().decode(m.data as Uint8Array);
        if (m.name === 'xl/macrosheets/sheet1.xml')
          return { ...m, name: `xl/${folder}/sheet1.xml` };
        if (m.name === '[Content_Types].xml')
          return {
            ...m,
            data: text()
              .replace('application/vnd.ms-excel.macrosheet+xml', contentType)
              .replace('/xl/macrosheets/', `/xl/${folder}/`),
          };
        if (m.name === 'xl/_rels/workbook.xml.rels')
          return {
            ...m,
            data: text()
              .replace(
                'http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet',
                relType,
              )
              .replace('macrosheets/', `${folder}/`),
          };
        return m;
      });
      const outcome = disarmOoxml(buildZip(members), options);
      assert.deepEqual(
        outcome.removed.filter((r) => r.kind === 'macro-sheet').map((r) => r.location),
        [`xl/${folder}/sheet1.xml`],
      );
      await rescan(outcome);
      const workbook = await partText(outcome.output!, 'xl/workbook.xml');
      assert.ok(!/Macro1|Auto_Open/.test(workbook));
    });
  }

  test('untouched parts keep their stored (compressed) bytes', () => {
    const input = buildActiveXlsm();
    const outcome = disarmOoxml(input, options);
    const raw = (bytes: Uint8Array) => {
      const read = readPackageStrict(bytes, {
        maxMembers: 100,
        maxTotalBytes: 1 << 24,
        maxRatio: 1000,
        keep: () => false,
      });
      assert.ok(read.ok);
      return read.members.find((m) => m.name === 'xl/worksheets/sheet2.xml')!.raw;
    };
    assert.deepEqual(raw(outcome.output!), raw(input));
  });

  test('an .xlsm whose only sheet is a macro sheet → .xlsx with one empty visible worksheet', async () => {
    const outcome = disarmOoxml(buildActiveXlsm({ isMacroSheetOnly: true }), options);
    await rescan(outcome);
    const workbook = await partText(outcome.output!, 'xl/workbook.xml');
    assert.equal(workbook.match(/<sheet\b/g)?.length, 1);
    assert.ok(!workbook.includes('veryHidden'));
    const pkg = await readOoxml(outcome.output!);
    const sheetRel = pkg.relationships.find((r) => r.typeName === 'worksheet');
    assert.ok(sheetRel && pkg.parts.some((p) => p.name === sheetRel.partName));
  });

  test('a .pptm → .pptx without VBA, OLE graphic frame and controls; text kept', async () => {
    const outcome = disarmOoxml(buildActivePptm(), options);
    assert.equal(outcome.outputExtension, '.pptx');
    await rescan(outcome);
    const slide = await partText(outcome.output!, 'ppt/slides/slide1.xml');
    assert.ok(slide.includes(VISIBLE_TEXT));
    assert.ok(!/graphicFrame|oleObj|p:control/.test(slide));
  });

  test('an .xlsb keeps its type; the macro sheet becomes an empty worksheet and Auto_Open is renamed', async () => {
    const input = buildXlsb(emotetXlmSpec());
    assert.equal((await scanInput({ path: 'in.xlsb', bytes: input })).verdict, 'malicious');
    const outcome = disarmOoxml(input, options);
    assert.equal(outcome.outputExtension, '.xlsb');
    assert.ok(kindsOf(outcome).has('macro-sheet') && kindsOf(outcome).has('xlm-auto-name'));
    await rescan(outcome);
    const pkg = await readOoxml(outcome.output!);
    assert.equal(pkg.macroSheets.length, 0);
    assert.equal(pkg.relationships.filter((r) => r.typeName === 'worksheet').length, 2);
  });
});

/** A limits object with one value changed. */
const withLimit = (name: keyof Limits, value: number) => ({
  limits: { ...DEFAULT_LIMITS, [name]: value },
});

describe('disarmOoxml: refusals', () => {
  const docm = buildActiveDocm();
  const refused = (outcome: DisarmOutcome, refusal: DisarmOutcome['refusal'], reason: RegExp) => {
    assert.equal(outcome.status, 'refused');
    assert.equal(outcome.refusal, refusal, outcome.reason);
    assert.match(outcome.reason ?? '', reason);
    assert.equal(outcome.output, undefined);
    assert.deepEqual(outcome.removed, []);
  };

  test('an encrypted package (OLE EncryptedPackage) → refused as encrypted', () => {
    const cfb = buildCfb({
      streams: [
        { path: 'EncryptionInfo', data: new Uint8Array(64).fill(4) },
        { path: 'EncryptedPackage', data: new Uint8Array(4096).fill(7) },
      ],
    }).bytes;
    refused(disarmOoxml(cfb, options), 'encrypted', /EncryptedPackage/);
  });

  test('a compound file that is no encrypted package (.doc) → refused as unsupported', () => {
    const cfb = buildCfb({ streams: [{ path: 'WordDocument', data: new Uint8Array(600) }] }).bytes;
    refused(disarmOoxml(cfb, options), 'unsupported', /compound file/);
  });

  test('a ZIP member flagged as encrypted → refused as encrypted', () => {
    const members = packageMembers(docm).map((m, i) =>
      i === 2 ? { ...m, extraFlags: 0x0001 } : m,
    );
    refused(disarmOoxml(buildZip(members), options), 'encrypted', /encrypted member/);
  });

  test('two members naming the same part (case differs) → refused as malformed', () => {
    const members = [...packageMembers(docm), { name: 'WORD/document.xml', data: '<x/>' }];
    refused(disarmOoxml(buildZip(members), options), 'malformed', /same part/);
  });

  test('a member whose directory lies about its size → refused as malformed', () => {
    const members = packageMembers(docm).map((m) =>
      m.name === 'word/document.xml' ? { ...m, declaredUncompressedSize: 100 } : m,
    );
    refused(disarmOoxml(buildZip(members), options), 'malformed', /declared size|CRC/);
  });

  test('an unsafe member name (zip slip) → refused as malformed', () => {
    const members = [...packageMembers(docm), { name: '../evil.xml', data: '<x/>' }];
    refused(disarmOoxml(buildZip(members), options), 'malformed', /unsafe member name/);
  });

  test('bytes that are no ZIP, and a truncated package → refused as malformed, no exception', () => {
    refused(disarmOoxml(new TextEncoder().encode('hello'), options), 'malformed', /not a ZIP/);
    refused(disarmOoxml(docm.subarray(0, docm.length - 30), options), 'malformed', /./);
  });

  test('a DTD in a part → refused as malformed (no entity expansion)', () => {
    const input = replaceMember(docm, 'word/settings.xml', (xml) =>
      xml.replace('<w:settings', '<!DOCTYPE x [<!ENTITY a "aaaa">]><w:settings'),
    );
    refused(disarmOoxml(input, options), 'malformed', /DTD/);
  });

  test('maxRatio: a 4 MiB member of zeros (ratio ~1000) is refused at 200, accepted at 2000', () => {
    const members = [
      ...packageMembers(docm),
      { name: 'word/media/zeros.bin', data: new Uint8Array(4 << 20) },
    ];
    const bomb = buildZip(members);
    refused(disarmOoxml(bomb, withLimit('maxRatio', 200)), 'limit', /ratio/);
    assert.equal(disarmOoxml(bomb, withLimit('maxRatio', 2000)).status, 'disarmed');
  });

  test('maxTotalBytes: refused one byte under the inflated total, accepted at it', () => {
    const total = packageMembers(docm).reduce((n, m) => n + (m.data as Uint8Array).length, 0);
    refused(disarmOoxml(docm, withLimit('maxTotalBytes', total - 1)), 'limit', /maxTotalBytes/);
    assert.equal(disarmOoxml(docm, withLimit('maxTotalBytes', total)).status, 'disarmed');
  });

  test('maxMembers: refused one under the member count, accepted at it', () => {
    const count = packageMembers(docm).length;
    refused(disarmOoxml(docm, withLimit('maxMembers', count - 1)), 'limit', /maxMembers/);
    assert.equal(disarmOoxml(docm, withLimit('maxMembers', count)).status, 'disarmed');
  });

  test('maxFileSize: refused one byte under the input size, accepted at it', () => {
    refused(disarmOoxml(docm, withLimit('maxFileSize', docm.length - 1)), 'limit', /maxFileSize/);
    assert.equal(disarmOoxml(docm, withLimit('maxFileSize', docm.length)).status, 'disarmed');
  });

  test('a deadline that passes → refused as limit', () => {
    const outcome = disarmOoxml(docm, {
      ...options,
      checkDeadline: () => {
        throw new LimitError('E_LIMIT_TIME', 'out of time', {
          limit: 'maxTimePerArtifactMs',
          max: 1,
        });
      },
    });
    refused(outcome, 'limit', /E_LIMIT_TIME/);
  });

  test('damaged packages (cut or with flipped bytes) → a refusal or a clean copy, never an exception', async () => {
    for (let i = 1; i <= 24; i++) {
      const damaged = docm.slice();
      const at = Math.floor((damaged.length * i) / 25);
      damaged[at] = (damaged[at]! ^ 0x5a) & 0xff;
      for (const input of [damaged, docm.subarray(0, at)]) {
        const outcome = disarmOoxml(input, options);
        if (outcome.status === 'disarmed') await rescan(outcome);
        else assert.equal(outcome.status, 'refused');
      }
    }
  });

  test('XML nesting: 1000 levels are rewritten, 1001 refused as a limit', () => {
    const nested = (depth: number) =>
      replaceMember(docm, 'word/settings.xml', (xml) =>
        xml.replace(
          '<w:defaultTabStop',
          `${'<w:x>'.repeat(depth - 1)}${'</w:x>'.repeat(depth - 1)}<w:defaultTabStop`,
        ),
      );
    assert.equal(disarmOoxml(nested(1000), options).status, 'disarmed');
    refused(disarmOoxml(nested(1001), options), 'limit', /deeper than 1000/);
  });

  test('broken XML in document.xml → refused as malformed, naming the part', () => {
    const input = buildActiveDocm();
    const broken = replaceMember(input, 'word/document.xml', (xml) => xml.replace('</w:body>', ''));
    const outcome = disarmOoxml(broken, options);
    assert.equal(outcome.refusal, 'malformed');
    assert.match(outcome.reason ?? '', /word\/document\.xml/);
    assert.equal(outcome.output, undefined);
  });
});
