import {
  checkRatio,
  findingForError,
  HINT_ARCHIVE_PASSWORDS,
  LimitError,
  type AnalysisContext,
  type Anomaly,
  type ChildInput,
  type EngineOutput,
  type Evidence,
  type Finding,
} from '../../core/index.js';
import {
  decryptRar5Headers,
  extractRar,
  parseRar,
  rar5Key,
  type RarArchive,
  type RarEntry,
  type UnrarHeader,
} from '../../formats/rar/index.js';
import { ExtractionBudget } from './budget.js';
import { sizeLimit } from './disk-image.js';
import { anomalyFindings, capped, encryptedArchive, unreadableMember } from './findings.js';
import { typeHintFor } from './hints.js';

/**
 * Most dictionary a RAR5 member may ask unrar to allocate. unrar's WASM heap grows to it and never
 * shrinks (a 2 GiB request leaves the worker at 2 GiB); WinRAR 5–6 default to 4 MiB, WinRAR 7 to 32 MiB.
 */
export const MAX_RAR_DICTIONARY = 64 * 1024 * 1024;
/** RAR 1.5–4 has no password check: each wrong candidate costs a WASM key derivation and a pass. */
export const MAX_RAR4_PASSWORD_TRIES = 8;

const WRONG_PASSWORD = new Set(['E_RAR_BAD_PASSWORD', 'E_RAR_BAD_DATA']);

/**
 * RAR 4/5 → members as children through unrar (every method, solid, encrypted with the mail's passwords),
 * sizes, ratio and dictionary checked from the headers before each member is extracted.
 */
export async function analyzeRar(ctx: AnalysisContext): Promise<EngineOutput> {
  const passwords = ctx.memo<readonly string[]>(HINT_ARCHIVE_PASSWORDS, () => []);
  let archive: RarArchive = ctx.memo('rar.parsed', () =>
    parseRar(ctx.bytes, { maxEntries: Math.max(ctx.limits.maxMembers + 1, 1) }),
  );
  const findings: Finding[] = anomalyFindings(archive.anomalies, ctx.artifact.name);
  // Kept from the archive as it is: after `rar -hp` headers are opened, `archive` is their plain listing.
  const isHeaderEncrypted = archive.isHeaderEncrypted;
  let candidates: readonly string[] = [];
  try {
    if (archive.version === 5 && archive.headerCrypt) {
      const opened = openRar5Headers(ctx.bytes, archive, passwords);
      if (opened) {
        archive = parseRar(opened.plain, { maxEntries: Math.max(ctx.limits.maxMembers + 1, 1) });
        candidates = [opened.password];
      }
    } else if (archive.version === 5) {
      const crypt = archive.entries.find((e) => e.crypt)?.crypt;
      const password = crypt && passwords.find((p) => rar5Key(p, crypt) !== undefined);
      candidates = password === undefined ? [] : [password];
    } else if (archive.isHeaderEncrypted || archive.entries.some((e) => e.isEncrypted)) {
      candidates = passwords.slice(0, MAX_RAR4_PASSWORD_TRIES);
    }
  } catch (error) {
    // The key derivation asks for more iterations than allowed: unscannable, never clean.
    findings.push(findingForError(error, ctx.artifact.name));
  }
  if (isHeaderEncrypted && candidates.length === 0) {
    findings.push(encryptedArchive(headerEvidence(archive, passwords.length)));
    return { findings };
  }
  const entries = new Map(archive.entries.map((e) => [e.name, e]));
  const tries = candidates.length > 0 ? candidates : [undefined];
  for (const [i, password] of tries.entries()) {
    let pass = await extractPass(ctx, entries, password, passwords.length);
    const isWrong =
      password !== undefined && pass.anomalies.some((a) => WRONG_PASSWORD.has(a.code));
    if (isWrong && i < tries.length - 1) continue;
    // No candidate fits (RAR 1.5–4 tells only by failing): still extract the members without a password.
    if (isWrong && !isHeaderEncrypted)
      pass = await extractPass(ctx, entries, undefined, passwords.length);
    findings.push(...pass.findings);
    if (isWrong)
      pass.encrypted.push(
        isHeaderEncrypted
          ? headerEvidence(archive, tries.length)
          : {
              location: ctx.artifact.name,
              text: ctx.artifact.name,
              note: `none of ${tries.length} candidate passwords opens it`,
            },
      );
    if (pass.encrypted.length > 0) findings.push(encryptedArchive(capped(pass.encrypted)));
    return { findings, children: pass.children };
  }
  return { findings };
}

/** `rar -hp`: the first candidate that passes the archive's password check, and the headers it opens. */
function openRar5Headers(
  bytes: Uint8Array,
  archive: RarArchive,
  passwords: readonly string[],
): { plain: Uint8Array; password: string } | undefined {
  for (const password of passwords) {
    const key = rar5Key(password, archive.headerCrypt!);
    const plain = key && decryptRar5Headers(bytes, key);
    if (plain) return { plain, password };
  }
  return undefined;
}

function headerEvidence(archive: RarArchive, candidates: number): Evidence {
  return {
    location: 'headers',
    text: `RAR${archive.version} headers encrypted (rar -hp)`,
    note:
      candidates > 0
        ? `none of ${candidates} candidate passwords from the mail opens it`
        : 'file names and contents need the password',
  };
}

interface Pass {
  findings: Finding[];
  children: ChildInput[];
  encrypted: Evidence[];
  anomalies: Anomaly[];
}

/** One unrar pass: each member is admitted or refused from its header before it is decompressed. */
async function extractPass(
  ctx: AnalysisContext,
  entries: ReadonlyMap<string, RarEntry>,
  password: string | undefined,
  candidates: number,
): Promise<Pass> {
  const pass: Pass = { findings: [], children: [], encrypted: [], anomalies: [] };
  const budget = new ExtractionBudget(ctx);
  let stopped = false;
  const refuse = (error: unknown, where: string) => {
    pass.findings.push(findingForError(error, where));
    return false;
  };
  const select = (h: UnrarHeader): boolean => {
    if (stopped) return false;
    const entry = entries.get(h.name);
    if (h.isEncrypted && password === undefined) {
      const none = candidates > 0 ? `; none of ${candidates} candidate passwords opens it` : '';
      pass.encrypted.push({ location: h.name, text: h.name, note: `${h.size} bytes${none}` });
      return false;
    }
    const stop = budget.stop(Math.max(1, entries.size - pass.children.length));
    if (stop) {
      stopped = true;
      return refuse(stop, h.name);
    }
    const dictionary = entry?.dictionarySize ?? 0;
    // SECURITY: checked before unrar allocates the window; the WASM heap never gives memory back.
    if (dictionary > MAX_RAR_DICTIONARY && !(entry?.isStored ?? false))
      return refuse(
        new LimitError('E_LIMIT_RAR_DICTIONARY', `${h.name}: ${dictionary} bytes of dictionary`, {
          limit: 'maxRarDictionary',
          max: MAX_RAR_DICTIONARY,
          actual: dictionary,
        }),
        h.name,
      );
    try {
      // SECURITY: the declared sizes are checked before decompressing; the output is also cut as written.
      checkRatio(ctx.limits, h.packedSize, h.size, h.name);
    } catch (error) {
      return refuse(error, h.name);
    }
    return true;
  };
  const result = await extractRar(ctx.bytes, {
    ...(password === undefined ? {} : { password }),
    select,
    maxBytes: () => Math.max(1, budget.maxChild),
    checkDeadline: () => ctx.checkDeadline(),
    onMember: (m) => {
      if (m.isTruncated)
        pass.findings.push(findingForError(sizeLimit(ctx, m.name, m.size, m.bytes.length), m.name));
      budget.take(m.bytes.length);
      pass.children.push({
        name: m.name,
        bytes: m.bytes,
        relation: 'member',
        ...typeHintFor(m.name),
      });
    },
  });
  if (result.stoppedBy) pass.findings.push(findingForError(result.stoppedBy, ctx.artifact.name));
  pass.anomalies = result.anomalies;
  const shown = result.anomalies.filter((a) => !(password && WRONG_PASSWORD.has(a.code)));
  // What unrar refuses was not scanned: medium, like an encrypted member, never a low parse error.
  if (shown.length > 0)
    pass.findings.push(
      unreadableMember(
        capped(
          shown.map((a) => ({
            location: a.location ?? ctx.artifact.name,
            text: `${a.code}: ${a.message}`,
          })),
        ),
      ),
    );
  return pass;
}
