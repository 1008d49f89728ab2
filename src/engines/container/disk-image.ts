import {
  findingForError,
  LimitError,
  type AnalysisContext,
  type ChildInput,
  type EngineOutput,
  type Evidence,
  type Finding,
} from '../../core/index.js';
import { parseDiskImage, readExtents, type DiskImage } from '../../formats/iso/index.js';
import { ExtractionBudget } from './budget.js';
import { typeHintFor } from './hints.js';
import { anomalyFindings, capped, diskImage, hiddenMember, inconsistentImage } from './findings.js';

const RUNNABLE = /\.(?:lnk|dll|exe|scr|cpl|ocx|js|jse|vbs|vbe|wsf|hta|bat|cmd|ps1|msi|url|one)$/i;

/** ISO 9660 / UDF / FAT images → every file as a child (relation `member`), under the input's limits. */
export function analyzeDiskImage(ctx: AnalysisContext): EngineOutput {
  let image: DiskImage;
  try {
    image = ctx.memo('image.parsed', () =>
      parseDiskImage(ctx.bytes, { checkDeadline: () => ctx.checkDeadline() }),
    );
  } catch (error) {
    return { findings: [findingForError(error, ctx.artifact.name)] };
  }
  const differ = image.anomalies.filter((a) => a.code === 'E_IMAGE_TREES_DIFFER');
  const findings: Finding[] = anomalyFindings(
    image.anomalies.filter((a) => a.code !== 'E_IMAGE_TREES_DIFFER'),
    ctx.artifact.name,
  );
  const files = image.entries.filter((e) => !e.isDirectory);
  const budget = new ExtractionBudget(ctx);
  const children: ChildInput[] = [];
  for (const [i, entry] of files.entries()) {
    const stop = budget.stop(files.length - i);
    if (stop) {
      findings.push(findingForError(stop, entry.path));
      break;
    }
    const bytes = readExtents(ctx.bytes, entry.extents, budget.maxChild);
    if (bytes.length < entry.size && bytes.length === budget.maxChild) {
      findings.push(
        findingForError(sizeLimit(ctx, entry.path, entry.size, budget.maxChild), entry.path),
      );
    }
    budget.take(bytes.length);
    children.push({ name: entry.path, bytes, relation: 'member', ...typeHintFor(entry.path) });
  }
  findings.unshift(diskImage(summary(image, files.length)));
  const hidden = image.entries.filter((e) => e.isHidden);
  if (hidden.length > 0 && files.some((f) => !f.isHidden)) {
    findings.push(
      hiddenMember(
        capped(
          hidden.map((e) => ({
            location: e.path,
            text: e.path,
            note: e.isDirectory ? 'hidden folder' : `hidden file, ${e.size} bytes`,
          })),
        ),
      ),
    );
  }
  if (differ.length > 0) {
    findings.push(
      inconsistentImage(
        capped(
          differ.map((a) => ({
            location: a.location ?? '',
            text: a.message,
            ...(a.offset === undefined ? {} : { offset: a.offset }),
          })),
        ),
      ),
    );
  }
  return {
    findings,
    children,
    extracted: {
      iocs: {
        files: files.filter((f) => RUNNABLE.test(f.path)).map((f) => f.path.split('/').pop()!),
      },
    },
  };
}

function summary(image: DiskImage, fileCount: number): Evidence[] {
  const runnable = image.entries.filter((e) => !e.isDirectory && RUNNABLE.test(e.path));
  return [
    {
      location: 'file system',
      text: image.filesystems.join(' + ') || 'unknown',
      note: `${fileCount} files${image.volumeLabel ? `, volume label "${image.volumeLabel}"` : ''}`,
    },
    ...capped(
      runnable.map((e) => ({
        location: e.path,
        text: e.path,
        note: `${e.size} bytes${e.isHidden ? ', hidden' : ''}`,
      })),
    ),
  ];
}

/** A member cut at the per-child cap: maxFileSize, or what is left of maxTotalBytes. */
export function sizeLimit(
  ctx: AnalysisContext,
  path: string,
  size: number,
  max: number,
): LimitError {
  const limit = max >= ctx.limits.maxFileSize ? 'maxFileSize' : 'maxTotalBytes';
  return new LimitError(
    limit === 'maxFileSize' ? 'E_LIMIT_FILE_SIZE' : 'E_LIMIT_TOTAL_BYTES',
    `${path}: only ${max} of ${size} bytes extracted`,
    {
      limit,
      max: limit === 'maxFileSize' ? ctx.limits.maxFileSize : ctx.limits.maxTotalBytes,
      actual: size,
    },
  );
}
