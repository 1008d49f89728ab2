/**
 * Undoes the defanging that analysts and some lures use (`hxxp://evil[.]example`), so indicators match feeds.
 * Only unambiguous forms are rewritten: a bracketed dot or at, and hxxp/hxxps/fxp schemes.
 */
export function refang(text: string): string {
  // A scheme needs '://' and the bracketed forms a '['; most text has neither, and skips those scans.
  let out = text.includes('://')
    ? text.replace(/\bh[x*]{2}p(s?):\/\//gi, 'http$1://').replace(/\bfxp:\/\//gi, 'ftp://')
    : text;
  out = out.replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]/gi, '.');
  return out.includes('[') ? out.replace(/\[@\]|\[at\]/gi, '@').replace(/\[:\]/g, ':') : out;
}
