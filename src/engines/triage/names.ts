/**
 * Does a file or folder name look generated? Emotet's loaders since 2020 live under names of random
 * letters (`Tmbocxtmrulq\rghzwwirg.ukc`), which lack the vowel rhythm of words and product names.
 * A heuristic, used only together with a user-writable location or an autorun entry.
 */

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);
// Product and Windows names seen in AppData that trip the letter statistics below.
const KNOWN_NAMES: ReadonlySet<string> = new Set([
  'svchost',
  'ctfmon',
  'msmpeng',
  'nvcplui',
  'igfxtray',
  'wsqmcons',
  'dxdiag',
  'msdtc',
  'ktmutil',
  'cscript',
  'wscript',
  'schtasks',
]);

/**
 * True for names of 5–32 letters (digits allowed after the first letter) with no vowel, a vowel share
 * below 20 % at 8 letters or more, or five consonants in a row; false for everything else.
 */
export function looksRandomName(name: string): boolean {
  const lower = name.toLowerCase();
  if (!/^[a-z][a-z0-9]{4,31}$/.test(lower) || KNOWN_NAMES.has(lower)) return false;
  const letters = lower.replace(/[0-9]/g, '');
  if (letters.length < 5) return false;
  let vowels = 0;
  let run = 0;
  let maxRun = 0;
  for (const c of letters) {
    if (VOWELS.has(c)) {
      vowels++;
      run = 0;
    } else {
      run++;
      if (run > maxRun) maxRun = run;
    }
  }
  if (vowels === 0) return true;
  if (letters.length >= 8 && vowels / letters.length < 0.2) return true;
  return maxRun >= 5;
}

/** EmoCheck v4's folder shape: 4–16 letters. */
export const V4_FOLDER = /^[A-Za-z]{4,16}$/;
/** EmoCheck v4's file shape: 3–15 letters, a dot, three letters, and not .exe or .dll. */
export const V4_FILE = /^(?!.*\.(?:exe|dll)$)[A-Za-z]{3,15}\.[A-Za-z]{3}$/;

const COMMON_EXTENSIONS: ReadonlySet<string> = new Set([
  'dll',
  'exe',
  'ocx',
  'cpl',
  'sys',
  'drv',
  'ax',
  'tmp',
  'dat',
  'bin',
]);

/** A DLL loaded under an extension no loader uses (`.ukc`, `.xqy`): Emotet's 2020–2022 habit. */
export function hasOddDllExtension(fileName: string): boolean {
  const dot = fileName.lastIndexOf('.');
  if (dot <= 0) return true;
  return !COMMON_EXTENSIONS.has(fileName.slice(dot + 1).toLowerCase());
}
