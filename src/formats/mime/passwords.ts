/**
 * Archive passwords written in a mail, as Emotet's 2020 waves sent them: the encrypted ZIP hides the
 * document from gateways, the password sits in the body (「パスワード：Ab12」, "Password: Ab12", "password is
 * Ab12") or alone on a line. Candidates are tried in order by the archive engine; none is trusted.
 */
export const MAX_PASSWORD_CANDIDATES = 20;
const MAX_PASSWORD_CHARS = 64;
const MAX_SCANNED_CHARS = 64 * 1024;

// A label, a separator (colon, full-width colon, "is", は, ＝), then the password token.
const LABELLED =
  /(?:パスワード|暗証番号|解凍(?:パス|キー)?|pass(?:word|code|wd)?|PW|pwd)\s*(?:[:：=＝]|は|is|:\s*is)?\s*[「『"'“(（]?([^\s「」『』"'“”、。,()（）\[\]<>]{1,64})/gi;
// A lone token of 4–32 visible ASCII characters mixing letters and digits, on its own line.
const LONE_TOKEN = /^[ \t]*([!-~]{4,32})[ \t]*$/gm;

export function findPasswordCandidates(
  subject: string | undefined,
  text: string | undefined,
): string[] {
  const found: string[] = [];
  const add = (value: string) => {
    const v = value.trim().replace(/[。、．.,]$/, '');
    if (v === '' || v.length > MAX_PASSWORD_CHARS || found.includes(v)) return;
    if (found.length < MAX_PASSWORD_CANDIDATES) found.push(v);
  };
  for (const source of [subject ?? '', (text ?? '').slice(0, MAX_SCANNED_CHARS)]) {
    for (const m of source.matchAll(LABELLED)) add(m[1]!);
  }
  for (const m of (text ?? '').slice(0, MAX_SCANNED_CHARS).matchAll(LONE_TOKEN)) {
    const token = m[1]!;
    if (/[A-Za-z]/.test(token) && /\d/.test(token) && !/^https?:/i.test(token)) add(token);
  }
  return found;
}
