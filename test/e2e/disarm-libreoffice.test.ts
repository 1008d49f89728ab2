/**
 * Disarmed documents must still open: each format disarmer's output is converted with LibreOffice
 * (`--headless --convert-to pdf`, own temporary profile, one serialised run for all files) and its text,
 * read back with pdftotext, must equal the original's. Originals are generated here: builders for
 * OOXML and RTF, and real Word/Excel 97 files written by LibreOffice itself (the builders' OLE files
 * carry only a minimal FIB) into which an inert VBA project is added. Skipped, with the reason, when
 * LibreOffice or pdftotext is missing (.ci/run installs both).
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
import { buildDocm } from '../builders/zip.js';
import { buildOle1Object, buildPackageNative } from '../builders/oleobj.js';
import { demoMacroModules } from '../../src/apps/demo/index.js';
import { buildVbaProjectBin, buildVbaProjectCfb } from '../../src/formats/ovba/index.js';
import { disarmInput, type DisarmReport } from '../../src/pipeline/index.js';

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
      convert('doc', [join(dir, 'seed-word.docx')]);
      convert('xls', [join(dir, 'seed-book.xlsx')]);
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
        assert.ok(report.removed.length > 0);
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
