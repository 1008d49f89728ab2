/**
 * Disarmed documents must still open: each format disarmer's output is converted with LibreOffice
 * (`--headless --convert-to pdf`, own temporary profile, one serialised run for all files) and its text,
 * read back with pdftotext, must equal the original's. Originals are generated here: builders for
 * OOXML and RTF, and real Word/Excel 97 files written by LibreOffice itself (the builders' OLE files
 * carry only a minimal FIB) into which an inert VBA project is added. PowerPoint: a flat ODP written
 * here as text is converted by LibreOffice to .pptx (then made a .pptm with an inert VBA project) and
 * to .ppt with an embedded formula object (an `Equation.3` ExOleObjStg, which LibreOffice writes).
 * Skipped, with the reason, when LibreOffice or pdftotext is missing (.ci/run installs both).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import * as CFB from 'cfb';
import { buildDocx, complexField } from '../builders/office.js';
import { buildRtf } from '../builders/rtf.js';
import { emotetXlmSpec } from '../builders/biff.js';
import { buildXlsm } from '../builders/xlsm.js';
import { packageMembers } from '../builders/ooxml-active.js';
import { buildDocm, buildZip } from '../builders/zip.js';
import { buildOle1Object, buildPackageNative } from '../builders/oleobj.js';
import { demoMacroModules } from '../../src/apps/demo/index.js';
import { buildVbaProjectBin, buildVbaProjectCfb } from '../../src/formats/ovba/index.js';
import type { RemovalKind } from '../../src/engines/disarm/index.js';
import { disarmInput, type DisarmReport } from '../../src/pipeline/index.js';
import { buildSylk } from '../builders/sylk.js';

const hasCommand = (cmd: string, arg: string) =>
  spawnSync(cmd, [arg], { stdio: 'ignore' }).status === 0;
const skip = !hasCommand('libreoffice', '--version')
  ? 'libreoffice not installed (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui)'
  : !hasCommand('pdftotext', '-v')
    ? 'pdftotext not installed (apt-get install poppler-utils)'
    : false;

const DDE = 'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"';
const TEMPLATE = 'http://203.0.113.7/template.dotm';

interface Case {
  name: string;
  /** Text the document shows, found in both PDFs. */
  marker: string;
  bytes: () => Uint8Array;
  /** A removal the disarm must report. */
  removes?: RemovalKind;
}

describe(
  'disarm → LibreOffice: disarmed documents open and keep their text',
  { skip, timeout: 240_000 },
  () => {
    let dir = '';
    let convert: (ext: string, files: string[]) => void = () => undefined;
    const reports = new Map<string, DisarmReport>();
    const texts = new Map<string, string>();

    const cases: Case[] = [
      {
        name: 'word.doc',
        marker: 'emoguard fixture letter 9',
        bytes: () => withVba(readFileSync(join(dir, 'seed-word.doc')), 'Macros'),
      },
      {
        name: 'book.xls',
        marker: 'emoguard fixture ledger 5',
        bytes: () => withVba(readFileSync(join(dir, 'seed-book.xls')), '_VBA_PROJECT_CUR'),
      },
      {
        name: 'invoice.docm',
        marker: 'emoguard fixture invoice 2024-001',
        bytes: () =>
          buildDocm({
            vbaProjectBin: buildVbaProjectBin({ modules: demoMacroModules() }),
            text: 'emoguard fixture invoice 2024-001',
            externalTemplate: TEMPLATE,
          }),
      },
      {
        name: 'order.docx',
        marker: 'emoguard fixture order 42',
        bytes: () =>
          buildDocx({
            body: ['<w:r><w:t>emoguard fixture order 42</w:t></w:r>', complexField([DDE])],
            template: TEMPLATE,
          }),
      },
      {
        name: 'sheet.xlsm',
        marker: 'Enable content to view the invoice',
        bytes: () => buildXlsm(emotetXlmSpec()),
      },
      {
        name: 'slides.pptm',
        marker: 'emoguard fixture slides 3',
        bytes: () => withPptVba(readFileSync(join(dir, 'seed-deck.pptx'))),
        removes: 'vba-project',
      },
      {
        name: 'formula.ppt',
        marker: 'emoguard fixture slides 4',
        bytes: () => readFileSync(join(dir, 'seed-formula.ppt')),
        removes: 'ole-object',
      },
      {
        // Formulas whose stored values are what LibreOffice computes, so both copies show the same.
        name: 'ledger.slk',
        marker: 'emoguard fixture ledger 8',
        bytes: () =>
          buildSylk({
            isMacroSheet: true,
            names: [{ name: 'Auto_open', formula: 'R1C2' }],
            cells: [
              { y: 1, x: 1, value: 'emoguard fixture ledger 8' },
              { y: 1, x: 2, value: 3, formula: '1+2' },
            ],
          }),
        removes: 'xlm-auto-name',
      },
      {
        name: 'memo.rtf',
        marker: 'emoguard fixture memo 7',
        bytes: () =>
          buildRtf({
            body: 'emoguard fixture memo 7',
            fields: [DDE],
            objects: [
              {
                objclass: 'Package',
                data: buildOle1Object({
                  className: 'Package',
                  nativeData: buildPackageNative({
                    fileName: 'readme.txt',
                    sourcePath: 'C:\\readme.txt',
                    tempPath: 'C:\\Temp\\readme.txt',
                    data: new TextEncoder().encode('inert'),
                  }),
                }),
              },
            ],
          }),
      },
    ];

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'emoguard-lo-'));
      const profile = pathToFileURL(join(dir, 'profile')).href;
      convert = (ext, files) => {
        // One LibreOffice process at a time with its own profile: a shared or concurrent profile
        // makes soffice hand the job to another instance or fail on the lock.
        execFileSync(
          'libreoffice',
          [
            `-env:UserInstallation=${profile}`,
            '--headless',
            '--convert-to',
            ext,
            '--outdir',
            dir,
            ...files,
          ],
          { stdio: 'ignore', timeout: 120_000 },
        );
      };
      writeFileSync(
        join(dir, 'seed-word.docx'),
        buildDocx({ body: ['<w:r><w:t>emoguard fixture letter 9</w:t></w:r>'] }),
      );
      writeFileSync(
        join(dir, 'seed-book.xlsx'),
        buildXlsm({
          sheets: [{ name: 'Sheet1', cells: [{ ref: 'A1', value: 'emoguard fixture ledger 5' }] }],
        }),
      );
      writeFileSync(join(dir, 'seed-deck.fodp'), flatOdp('emoguard fixture slides 3'));
      writeFileSync(join(dir, 'seed-formula.fodp'), flatOdp('emoguard fixture slides 4', true));
      convert('doc', [join(dir, 'seed-word.docx')]);
      convert('xls', [join(dir, 'seed-book.xlsx')]);
      convert('pptx', [join(dir, 'seed-deck.fodp')]);
      convert('ppt', [join(dir, 'seed-formula.fodp')]);
      const toPdf: string[] = [];
      for (const c of cases) {
        const bytes = c.bytes();
        const original = join(dir, c.name);
        writeFileSync(original, bytes);
        const report = await disarmInput({ path: c.name, bytes });
        reports.set(c.name, report);
        toPdf.push(original);
        if (report.output) {
          const ext = report.outputExtension ?? c.name.slice(c.name.lastIndexOf('.'));
          const out = join(dir, `${stem(c.name)}.disarmed${ext}`);
          writeFileSync(out, report.output);
          toPdf.push(out);
        }
      }
      convert('pdf', toPdf);
      for (const base of toPdf.map((p) => stem(p.slice(dir.length + 1)))) {
        const pdf = join(dir, `${base}.pdf`);
        if (!existsSync(pdf)) continue;
        texts.set(
          base,
          execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }),
        );
      }
    });

    after(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    for (const c of cases) {
      test(`${c.name}: disarmed, re-scans clean, converts, and shows the same text`, () => {
        const report = reports.get(c.name)!;
        assert.equal(report.status, 'disarmed', `${report.refusal}: ${report.reason}`);
        assert.ok(report.removed.length > 0, 'something was removed');
        if (c.removes)
          assert.ok(
            report.removed.some((r) => r.kind === c.removes),
            JSON.stringify(report.removed),
          );
        assert.equal(report.rescan?.verdict, 'clean');
        const original = texts.get(stem(c.name));
        const disarmed = texts.get(`${stem(c.name)}.disarmed`);
        assert.ok(original !== undefined, `LibreOffice did not convert the original ${c.name}`);
        assert.ok(disarmed !== undefined, `LibreOffice did not convert the disarmed ${c.name}`);
        assert.ok(
          normalise(original).includes(c.marker),
          `marker missing from the original: ${original}`,
        );
        assert.equal(normalise(disarmed), normalise(original));
      });
    }
  },
);

const stem = (name: string) => name.slice(0, name.lastIndexOf('.'));
const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Adds an inert VBA project (the demo's macros, as text) under `root` of a real compound file. */
function withVba(host: Uint8Array, root: string): Uint8Array {
  const doc = CFB.read(Buffer.from(host), { type: 'buffer' });
  const vba = CFB.read(Buffer.from(buildVbaProjectCfb({ modules: demoMacroModules(), root })), {
    type: 'buffer',
  });
  vba.FileIndex.forEach((entry, i) => {
    const path = vba.FullPaths[i]!.replace(/^[^/]*\//, '/');
    if (entry.type === 2 && path.startsWith(`/${root}/`))
      CFB.utils.cfb_add(doc, path, entry.content);
  });
  return new Uint8Array(CFB.write(doc, { type: 'buffer' }) as Buffer);
}

const ODF = 'urn:oasis:names:tc:opendocument:xmlns';

/** A one-slide flat ODP (ODF 1.3 §2.1.2) with a text frame and, if asked, an embedded formula object. */
function flatOdp(text: string, hasFormula = false): string {
  const formula = hasFormula
    ? '<draw:frame svg:width="6cm" svg:height="2cm" svg:x="2cm" svg:y="8cm"><draw:object>' +
      '<math:math><math:semantics><math:mrow><math:mi>x</math:mi><math:mo>+</math:mo><math:mn>1</math:mn>' +
      '</math:mrow><math:annotation math:encoding="StarMath 5.0">x + 1</math:annotation></math:semantics>' +
      '</math:math></draw:object></draw:frame>'
    : '';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<office:document xmlns:office="${ODF}:office:1.0" xmlns:draw="${ODF}:drawing:1.0" ` +
    `xmlns:text="${ODF}:text:1.0" xmlns:svg="${ODF}:svg-compatible:1.0" xmlns:style="${ODF}:style:1.0" ` +
    `xmlns:fo="${ODF}:xsl-fo-compatible:1.0" xmlns:math="http://www.w3.org/1998/Math/MathML" ` +
    'office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.presentation">' +
    '<office:automatic-styles><style:page-layout style:name="PM1"><style:page-layout-properties ' +
    'fo:page-width="28cm" fo:page-height="15.75cm" style:print-orientation="landscape"/>' +
    '</style:page-layout></office:automatic-styles><office:master-styles><style:master-page ' +
    'style:name="Default" style:page-layout-name="PM1"/></office:master-styles><office:body>' +
    '<office:presentation><draw:page draw:name="page1" draw:master-page-name="Default">' +
    '<draw:frame svg:width="20cm" svg:height="3cm" svg:x="2cm" svg:y="2cm"><draw:text-box>' +
    `<text:p>${text}</text:p></draw:text-box></draw:frame>${formula}</draw:page>` +
    '</office:presentation></office:body></office:document>'
  );
}

/** A LibreOffice .pptx made a .pptm (MS-OFFMACRO2 2.2.1.4): vbaProject.bin, its relationship, content types. */
function withPptVba(pptx: Uint8Array): Uint8Array {
  const edit = (name: string, text: string): string => {
    if (name === '[Content_Types].xml')
      return text
        .replace(
          'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
          'application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml',
        )
        .replace(
          '</Types>',
          '<Override PartName="/ppt/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        );
    if (name === 'ppt/_rels/presentation.xml.rels')
      return text.replace(
        '</Relationships>',
        '<Relationship Id="rIdVba1" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
      );
    return text;
  };
  const members = packageMembers(pptx).map((m) =>
    typeof m.name === 'string' && /\.(?:xml|rels)$/.test(m.name)
      ? { ...m, data: edit(m.name, new TextDecoder().decode(m.data as Uint8Array)) }
      : m,
  );
  members.push({
    name: 'ppt/vbaProject.bin',
    data: buildVbaProjectBin({ modules: demoMacroModules() }),
  });
  return buildZip(members);
}
