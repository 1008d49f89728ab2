/**
 * Undoes the defanging that analysts and some lures use (`hxxp://evil[.]example`), so indicators match feeds.
 * Only unambiguous forms are rewritten: a bracketed dot or at, and hxxp/hxxps/fxp schemes.
 */
export function refang(text: string): string {
  return text
    .replace(/\bh[x*]{2}p(s?):\/\//gi, 'http$1://')
    .replace(/\bfxp:\/\//gi, 'ftp://')
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]/gi, '.')
    .replace(/\[@\]|\[at\]/gi, '@')
    .replace(/\[:\]/g, ':');
}
