/**
 * Hash indicators against the files the scan pipeline analyses (every artifact, children included): a
 * loader DLL inside a ZIP inside a mail is found by its SHA-256 like a top-level file. MD5 and SHA-1 are
 * computed only when such indicators are loaded.
 */
import { createHash } from 'node:crypto';
import { defineFinding, type Engine, type FileType, type Finding } from '../../core/index.js';
import type { IocSet } from './ioc-set.js';

export const knownMaliciousMail = defineFinding({
  id: 'ioc.known-malicious-mail',
  title: 'Mail or archive listed by a threat-intel feed (hash match)',
  severity: 'critical',
  step: '1',
  attack: ['T1566.001'],
  description:
    'The file hash of this mail or archive is in a loaded feed (MISP, ThreatFox, STIX …).',
});

export const knownMaliciousDocument = defineFinding({
  id: 'ioc.known-malicious-document',
  title: 'Document listed by a threat-intel feed (hash match)',
  severity: 'critical',
  step: '2',
  attack: ['T1204.002'],
  description: 'The file hash of this document is in a loaded feed: a known malicious maldoc.',
});

export const knownMaliciousFile = defineFinding({
  id: 'ioc.known-malicious-file',
  title: 'File listed by a threat-intel feed (hash match)',
  severity: 'critical',
  step: '5',
  attack: ['T1105'],
  description: 'The file hash of this file (loader, script, payload) is in a loaded feed.',
});

export const HASH_IOC_FINDINGS = [
  knownMaliciousMail,
  knownMaliciousDocument,
  knownMaliciousFile,
] as const;

const MAIL_TYPES: ReadonlySet<FileType> = new Set([
  'eml',
  'mbox',
  'zip',
  'gzip',
  '7z',
  'rar',
  'cab',
  'iso',
]);
const DOCUMENT_TYPES: ReadonlySet<FileType> = new Set([
  'ole',
  'ooxml',
  'rtf',
  'sylk',
  'biff', // Excel 2.x–4.0 sheets: the .xlm macro sheets XLM droppers still come as
  'activemime',
  'pdf',
  'mhtml',
  'xml',
  'html',
  'onenote',
  'vba-source',
]);

/**
 * A scan `Engine` (types `*`) matching artifact hashes against `iocs`. Apps build it once from the
 * store (`store.loadIntel({ types: ['md5','sha1','sha256'] })`) and append it to the engine list.
 *
 * @example
 * scanInput(input, { engines: [...ENGINES, createHashIocEngine(iocs)] })
 */
export function createHashIocEngine(iocs: IocSet): Engine {
  const counts = iocs.counts();
  const hasMd5 = counts.md5 > 0;
  const hasSha1 = counts.sha1 > 0;
  return {
    name: 'ioc',
    types: '*',
    findings: HASH_IOC_FINDINGS,
    analyze(ctx) {
      const { artifact, bytes } = ctx;
      const hits = [
        { algo: 'sha256', hit: iocs.matchHash('sha256', artifact.sha256) },
        {
          algo: 'md5',
          hit: hasMd5
            ? iocs.matchHash('md5', createHash('md5').update(bytes).digest('hex'))
            : undefined,
        },
        {
          algo: 'sha1',
          hit: hasSha1
            ? iocs.matchHash('sha1', createHash('sha1').update(bytes).digest('hex'))
            : undefined,
        },
      ];
      const factory = MAIL_TYPES.has(artifact.type)
        ? knownMaliciousMail
        : DOCUMENT_TYPES.has(artifact.type)
          ? knownMaliciousDocument
          : knownMaliciousFile;
      const findings: Finding[] = [];
      for (const { algo, hit } of hits) {
        if (!hit) continue;
        const malware = hit.metas.find((m) => m.malware)?.malware;
        findings.push(
          factory({
            text: `${algo} ${hit.value}`,
            location: artifact.path,
            note: `listed by ${hit.metas.map((m) => m.source).join(', ')}${malware ? ` as ${malware}` : ''}`,
          }),
        );
        break; // one hash is enough to name the file
      }
      return { findings };
    },
  };
}
