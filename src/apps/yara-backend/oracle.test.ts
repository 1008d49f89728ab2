/**
 * Differential test against Debian's `yara` (YARA 4, the reference implementation): the same rules over
 * the same buffers must give the same matching rules, pattern occurrences, offsets and lengths through
 * emoguard's YARA-X backend. Skipped with the reason when `yara` is not installed (.ci/run installs it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { YARA_EXTERNALS } from '../../engines/yara/index.js';
import { bundledRuleSamples, type YaraSample } from '../../../test/builders/yara-samples.js';
import { seededBytes } from '../../../test/builders/emotet-config.js';
import { loadYaraRules, readRuleFiles } from './index.js';

const probe = spawnSync('yara', ['--version'], { encoding: 'utf8' });
const skip = probe.status === 0 ? false : 'Debian `yara` is not installed (apt-get install yara)';

/** Rule-language features beyond the bundled rules: jumps, alternatives, anchors, counts, loops, ints. */
const EXTRA_RULES = `
rule Hex_Jump { strings: $h = { 4D 5A [2-6] 50 45 ( 00 | 01 ) 00 } condition: $h }
rule Wide_Nocase { strings: $w = "Invoice" wide nocase condition: #w >= 2 }
rule Regex_Url { strings: $r = /https?:\\/\\/[a-z0-9.-]{3,40}\\.(com|org)\\/[a-z0-9_]{1,20}/ condition: $r }
rule Anchored { strings: $a = "MARK" condition: $a at 100 or $a in (200..300) }
rule Header_Int { condition: uint16(0) == 0x5a4d and filesize > 512 }
rule Loop_Of { strings: $x = "alpha" $y = "beta" $z = "gamma" condition: 2 of them and for any i in (1..#x): (@x[i] < 4096) }
rule Xor_Key { strings: $k = "payload" xor(1-255) condition: $k }
rule Base64_Str { strings: $b = "powershell" base64 condition: $b }
`;

function extraSamples(): YaraSample[] {
  const noise = seededBytes(8192, 7);
  const plant = (at: number, text: string | Uint8Array) =>
    noise.set(typeof text === 'string' ? new TextEncoder().encode(text) : text, at);
  plant(0, new Uint8Array([0x4d, 0x5a, 1, 2, 3, 0x50, 0x45, 0, 0]));
  plant(100, 'MARK');
  plant(250, 'MARK');
  plant(600, new Uint8Array(Buffer.from('INVOICE invoice', 'utf16le')));
  plant(1000, 'see https://example.com/inv_2024 and http://docs.example.org/a');
  plant(2000, 'alpha beta alpha');
  plant(3000, new Uint8Array([...'payload'].map((c) => c.charCodeAt(0) ^ 0x5a)));
  plant(4000, Buffer.from('run powershell now').toString('base64'));
  return [{ name: 'planted features', bytes: noise, filetype: 'unknown' }];
}

type Hit = string;

function yaraXHits(scanner: ReturnType<typeof loadYaraRules>['scanner'], s: YaraSample): Hit[] {
  return scanner
    .scan(s.bytes, { ...YARA_EXTERNALS, filetype: s.filetype })
    .flatMap((m) =>
      m.strings.length === 0
        ? [`${m.namespace}:${m.rule}`]
        : m.strings.map((x) => `${m.namespace}:${m.rule} ${x.identifier}@${x.offset}:${x.length}`),
    )
    .sort();
}

function yaraHits(ruleArgs: string[], file: string, s: YaraSample): Hit[] {
  const defines = Object.keys(YARA_EXTERNALS).flatMap((k) => [
    '-d',
    `${k}=${k === 'filetype' ? s.filetype : ''}`,
  ]);
  const r = spawnSync('yara', ['-s', '-L', '-e', '-w', ...defines, ...ruleArgs, file], {
    encoding: 'latin1',
  });
  assert.equal(r.status, 0, r.stderr);
  const hits: Hit[] = [];
  let rule = '';
  let hasStrings = false;
  const flush = () => {
    if (rule && !hasStrings) hits.push(rule);
  };
  for (const line of r.stdout.split('\n')) {
    const str = /^0x([0-9a-f]+):(\d+):(\$\w*):/.exec(line);
    if (str) {
      hasStrings = true;
      hits.push(`${rule} ${str[3]}@${parseInt(str[1]!, 16)}:${str[2]}`);
    } else if (line.trim()) {
      flush();
      rule = line.slice(0, line.lastIndexOf(' '));
      hasStrings = false;
    }
  }
  flush();
  return hits.sort();
}

describe('yara differential: YARA-X backend vs Debian yara', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-yara-oracle-'));
  const extra = join(dir, 'extra.yar');
  writeFileSync(extra, EXTRA_RULES);
  const { scanner, errors } = loadYaraRules({ paths: [extra], cacheDir: null });
  const ruleArgs = [...readRuleFiles([], true).map((f) => `emoguard:${f.path}`), `extra:${extra}`];
  const samples = [
    ...bundledRuleSamples().flatMap((r) => [...r.match, ...r.nomatch]),
    ...extraSamples(),
  ];

  test('the rules compile in both', () => assert.deepEqual(errors, []));

  samples.forEach((s, i) => {
    test(`same matches: ${s.name} (${s.filetype})`, () => {
      const file = join(dir, `sample-${i}.bin`);
      writeFileSync(file, s.bytes);
      assert.deepEqual(yaraXHits(scanner, s), yaraHits(ruleArgs, file, s));
    });
  });

  test('the planted-features sample exercises every extra rule', () => {
    const hits = yaraXHits(scanner, extraSamples()[0]!).map((h) => h.split(' ')[0]);
    for (const rule of EXTRA_RULES.matchAll(/^rule (\w+)/gm)) {
      assert.ok(hits.includes(`extra:${rule[1]}`), rule[1]);
    }
  });
});
