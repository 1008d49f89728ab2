/**
 * CLSIDs that matter in embedded objects (registry form, upper case). The Equation Editor ones load
 * EQNEDT32.EXE, whose stack overflows CVE-2017-11882 and CVE-2018-0802 droppers still exploit; the
 * packager ones run any file on a double-click. Sources: the Windows registry, oletools' clsid.py.
 */
export const EQUATION_CLSIDS: ReadonlySet<string> = new Set([
  '0002CE02-0000-0000-C000-000000000046', // Microsoft Equation 3.0
  '00021700-0000-0000-C000-000000000046', // Microsoft Equation 2.0
  '0003000B-0000-0000-C000-000000000046', // Microsoft Equation (OLE1)
  '0004A6B0-0000-0000-C000-000000000046', // Microsoft Equation 2.0 (oletools: to be confirmed)
]);

export const PACKAGE_CLSIDS: ReadonlySet<string> = new Set([
  '0003000C-0000-0000-C000-000000000046',
  '0003000D-0000-0000-C000-000000000046',
  '0003000E-0000-0000-C000-000000000046',
  '00020C01-0000-0000-C000-000000000046',
  '00022601-0000-0000-C000-000000000046',
  '00022602-0000-0000-C000-000000000046',
  '00022603-0000-0000-C000-000000000046',
  'F20DA720-C02F-11CE-927B-0800095AE340',
]);

/** Names for the CLSIDs a responder meets most in droppers. */
export const KNOWN_CLSIDS: Readonly<Record<string, string>> = {
  '00000300-0000-0000-C000-000000000046': 'StdOleLink (OLE2 link: CVE-2017-0199, CVE-2017-8570)',
  '00000303-0000-0000-C000-000000000046': 'File Moniker',
  '79EAC9E0-BAF9-11CE-8C82-00AA004BA90B': 'URL Moniker (CVE-2017-0199)',
  '3050F4D8-98B5-11CF-BB82-00AA00BDCE0B': 'HTML Application (CVE-2017-0199)',
  '06290BD3-48AA-11D2-8432-006008C3FBFC': 'Script Moniker (CVE-2017-0199)',
  'ECABB0C7-7F19-11D2-978E-0000F8757E2A': 'SOAP Moniker (CVE-2017-8759)',
  '00020906-0000-0000-C000-000000000046': 'Word.Document.8',
  '00020820-0000-0000-C000-000000000046': 'Excel.Sheet.8',
  '00020832-0000-0000-C000-000000000046': 'Excel.SheetMacroEnabled.12',
  '18A06B6B-2F3F-4E2B-A611-52BE631B2D22': 'Word.DocumentMacroEnabled.12',
  '0002CE02-0000-0000-C000-000000000046': 'Microsoft Equation 3.0 (CVE-2017-11882, CVE-2018-0802)',
  '00021700-0000-0000-C000-000000000046': 'Microsoft Equation 2.0 (CVE-2017-11882, CVE-2018-0802)',
  '0003000B-0000-0000-C000-000000000046': 'Microsoft Equation (CVE-2017-11882, CVE-2018-0802)',
  '0004A6B0-0000-0000-C000-000000000046': 'Microsoft Equation 2.0 (CVE-2017-11882, CVE-2018-0802)',
  '0003000C-0000-0000-C000-000000000046': 'OLE Package',
  'F20DA720-C02F-11CE-927B-0800095AE340': 'OLE Package',
  'D27CDB6E-AE6D-11CF-96B8-444553540000': 'Shockwave Flash Object',
};

/** ProgIDs / OLE1 class names of the Equation Editor; droppers vary the case and pad with NULs. */
export function isEquationClassName(name: string | undefined): boolean {
  return name !== undefined && /^\s*equation(\.\d+)?\s*$/i.test(name.replace(/\0+$/, ''));
}

export function isEquationClsid(clsid: string | undefined): boolean {
  return clsid !== undefined && EQUATION_CLSIDS.has(clsid.toUpperCase());
}

export function isPackageClsid(clsid: string | undefined): boolean {
  return clsid !== undefined && PACKAGE_CLSIDS.has(clsid.toUpperCase());
}

export function describeClsid(clsid: string | undefined): string | undefined {
  return clsid === undefined ? undefined : KNOWN_CLSIDS[clsid.toUpperCase()];
}

/** Registry form → the 16 bytes as stored in files (MS-DTYP 2.3.4: first three fields little-endian). */
export function clsidBytes(clsid: string): Uint8Array | undefined {
  const m = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i.exec(
    clsid.trim(),
  );
  if (!m) return undefined;
  const hex = (s: string) => (s.match(/../g) ?? []).map((h) => parseInt(h, 16));
  return Uint8Array.from([
    ...hex(m[1]!).reverse(),
    ...hex(m[2]!).reverse(),
    ...hex(m[3]!).reverse(),
    ...hex(m[4]!),
    ...hex(m[5]!),
  ]);
}
