import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { buildCfb, patternBytes, withFatEntry } from '../../../../test/builders/cfb.js';
import { buildRtf } from '../../../../test/builders/rtf.js';
import { fakeIO, runCli } from '../../../../test/support/cli-io.js';
import {
  cleanDocx,
  FAKE_DISARMERS,
  LAZY_DISARMERS,
  macroDocm,
} from '../../../../test/support/disarm-fakes.js';
import { runDisarm } from './disarm.js';

const PDF = '%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n';

function inputs(): string {
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-disarm-'));
  mkdirSync(join(dir, 'in', 'sub'), { recursive: true });
  writeFileSync(join(dir, 'in', 'invoice.docm'), macroDocm());
  writeFileSync(join(dir, 'in', 'sub', 'memo.docx'), cleanDocx());
  writeFileSync(join(dir, 'in', 'scan.pdf'), PDF);
  return dir;
}

const run = async (args: string[], disarmers = FAKE_DISARMERS) => {
  const f = fakeIO();
  const code = await runDisarm(args.slice(2), { out: args[1]!, json: args[0] === '--json' }, f.io, {
    disarmers,
  });
  return { code, stdout: f.out(), stderr: f.err() };
};

describe('cli: disarm', () => {
  test('a folder: .docm → .disarmed.docx, clean .docx copied unchanged, PDF refused; exit 1', async () => {
    const dir = inputs();
    const out = join(dir, 'out');
    const r = await run(['', out, join(dir, 'in')]);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(
      lines[0]!,
      /^DISARMED +.*invoice\.docm → .*out\/invoice\.disarmed\.docx  removed 1: vba-project \(word\/vbaProject\.bin\)$/,
    );
    assert.match(lines[1]!, /^REFUSED +.*scan\.pdf  unsupported: PDF disarm is out of scope/);
    assert.match(
      lines[2]!,
      /^UNCHANGED +.*memo\.docx → .*out\/sub\/memo\.disarmed\.docx  nothing to remove$/,
    );
    assert.match(r.stdout, /Disarmed 1, unchanged 1, refused 1, 0 error\(s\)/);
    assert.deepEqual(readFileSync(join(out, 'invoice.disarmed.docx')), Buffer.from(cleanDocx()));
    assert.deepEqual(readdirSync(out).sort(), ['invoice.disarmed.docx', 'sub']);
    // The inputs are untouched.
    assert.deepEqual(readFileSync(join(dir, 'in', 'invoice.docm')), Buffer.from(macroDocm()));
  });

  test('--json: one object per input with status, removals, refusal and the written path', async () => {
    const dir = inputs();
    const out = join(dir, 'out');
    const r = await run([
      '--json',
      out,
      join(dir, 'in', 'invoice.docm'),
      join(dir, 'in', 'scan.pdf'),
    ]);
    const [docm, pdf] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(docm.status, 'disarmed');
    assert.equal(docm.inputType, 'ooxml');
    assert.equal(docm.output, join(out, 'invoice.disarmed.docx'));
    assert.deepEqual(docm.removed, [
      { kind: 'vba-project', location: 'word/vbaProject.bin', detail: 'Module1' },
    ]);
    assert.deepEqual(docm.rescan, { verdict: 'clean', findings: [] });
    assert.equal(docm.findings[0].id, 'disarm.active-content-removed');
    assert.equal(pdf.status, 'refused');
    assert.equal(pdf.refusal, 'unsupported');
    assert.equal(pdf.output, undefined);
    assert.equal(pdf.findings[0].id, 'disarm.refused');
  });

  test('an existing copy is never overwritten: the second run writes .disarmed-2', async () => {
    const dir = inputs();
    const out = join(dir, 'out');
    const file = join(dir, 'in', 'invoice.docm');
    await run(['', out, file]);
    await run(['', out, file]);
    assert.deepEqual(readdirSync(out).sort(), ['invoice.disarmed-2.docx', 'invoice.disarmed.docx']);
  });

  test('a copy that does not re-scan clean is refused and not written', async () => {
    const dir = inputs();
    const out = join(dir, 'out');
    const r = await run(['', out, join(dir, 'in', 'invoice.docm')], LAZY_DISARMERS);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /REFUSED .*rescan-not-clean: the disarmed copy still scans malicious/);
    assert.deepEqual(readdirSync(out), []);
  });

  test('a file over maxFileSize → refused limit (nothing half-read is written); at the limit it is disarmed', async () => {
    const dir = inputs();
    const file = join(dir, 'in', 'invoice.docm');
    const size = macroDocm().length;
    const f = fakeIO();
    const over = await runDisarm(
      [file],
      { out: join(dir, 'o1'), json: true, limit: [`maxFileSize=${size - 1}`] },
      f.io,
      { disarmers: FAKE_DISARMERS },
    );
    assert.equal(over, 1);
    assert.equal(JSON.parse(f.out()).refusal, 'limit');
    const g = fakeIO();
    const at = await runDisarm(
      [file],
      { out: join(dir, 'o2'), json: true, limit: [`maxFileSize=${size}`] },
      g.io,
      { disarmers: FAKE_DISARMERS },
    );
    assert.equal(at, 0);
    assert.equal(JSON.parse(g.out()).status, 'disarmed');
  });

  test('missing input → error on stderr, exit 2; the other inputs are still disarmed', async () => {
    const dir = inputs();
    const r = await run(['', join(dir, 'out'), join(dir, 'nope.doc'), join(dir, 'in', 'sub')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.doc: no such file or directory/);
    assert.match(r.stdout, /UNCHANGED/);
  });

  test('through main: an RTF with a DDE field is disarmed by the built-in RTF disarmer; --out is required', async () => {
    const dir = inputs();
    const rtf = join(dir, 'in', 'order.rtf');
    writeFileSync(
      rtf,
      buildRtf({
        body: 'order 42',
        fields: ['DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"'],
      }),
    );
    const out = join(dir, 'out');
    const r = await runCli(['disarm', '--json', '--out', out, rtf]);
    const report = JSON.parse(r.stdout);
    assert.equal(report.status, 'disarmed', r.stdout);
    assert.equal(report.removed[0].kind, 'dde-field');
    assert.ok(existsSync(join(out, 'order.disarmed.rtf')));
    assert.equal(r.code, 0);
    const missing = await runCli(['disarm', rtf]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--out/);
  });

  test('disarm --help exits 0 and states the exit codes and that PDF is refused', async () => {
    const r = await runCli(['disarm', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: emoguard disarm/);
    assert.match(r.stdout, /PDF and other\s+types are refused/);
    assert.match(
      r.stdout,
      /Exit status: 0 every input disarmed or already clean, 1 some input refused, 2/,
    );
  });

  test('a hostile compound file (FAT sector cycle) → REFUSED malformed with disarm.refused, nothing written', async () => {
    const dir = inputs();
    const built = buildCfb({ streams: [{ path: 'WordDocument', data: patternBytes(6000, 3) }] });
    const sectors = built.nodes.get('WordDocument')!.sectors;
    const file = join(dir, 'loop.doc');
    writeFileSync(file, withFatEntry(built, sectors[5]!, sectors[1]!));
    const out = join(dir, 'out');
    const r = await runCli(['disarm', '--json', '--out', out, file]);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual([report.status, report.refusal], ['refused', 'malformed']);
    assert.equal(report.findings[0].id, 'disarm.refused');
    assert.deepEqual(readdirSync(out), []);
  });
});
