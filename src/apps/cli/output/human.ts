import {
  severityRank,
  STEP_INFO,
  STEPS,
  walkResults,
  type Finding,
  type ScanResult,
  type Verdict,
} from '../../../core/index.js';
import { formatBytes, oneLine, safeText, type Colors } from './terminal.js';

const COLUMNS = { step: 6, severity: 10, id: 34, where: 28 };

/**
 * One input as a block: a header line with the verdict, then a table of every finding in the tree, in
 * kill-chain order, with the step column (①…⑥) and where in the input it was seen.
 */
export function renderHumanResult(result: ScanResult, colors: Colors): string {
  const artifacts = [...walkResults(result)].length;
  const head = `${paint(result.verdict, colors)}  ${safeText(result.path)}  ${colors.dim(
    `${result.type}, ${formatBytes(result.size)}${artifacts > 1 ? `, ${artifacts - 1} inside` : ''}, sha256 ${result.sha256.slice(0, 16)}…`,
  )}`;
  const rows = findingRows(result);
  if (rows.length === 0) return `${head}\n`;
  const header = colors.dim(
    `  ${'STEP'.padEnd(COLUMNS.step)}${'SEVERITY'.padEnd(COLUMNS.severity)}${'FINDING'.padEnd(COLUMNS.id)}${'WHERE'.padEnd(COLUMNS.where)}EVIDENCE`,
  );
  const lines = rows.map(({ finding, where }) => {
    const evidence = finding.evidence[0];
    const shown = evidence?.text ?? evidence?.note ?? '';
    const at = evidence?.line !== undefined ? `:${evidence.line}` : '';
    return (
      `  ${STEP_INFO[finding.step].mark.padEnd(COLUMNS.step)}` +
      `${severityColor(finding, colors)(finding.severity.padEnd(COLUMNS.severity))}` +
      `${finding.id.padEnd(COLUMNS.id)}` +
      `${oneLine(where + at, COLUMNS.where - 2).padEnd(COLUMNS.where)}` +
      `${oneLine(shown, 70)}`
    );
  });
  return `${head}\n${header}\n${lines.join('\n')}\n`;
}

function findingRows(result: ScanResult): { finding: Finding; where: string }[] {
  const rows: { finding: Finding; where: string }[] = [];
  for (const [node] of walkResults(result)) {
    const where =
      node === result
        ? (node.findings[0]?.evidence[0]?.location ?? '')
        : node.path.slice(result.path.length + 1);
    for (const finding of node.findings) {
      const location = node === result ? (finding.evidence[0]?.location ?? where) : where;
      rows.push({ finding, where: location });
    }
  }
  return rows.sort(
    (a, b) =>
      STEPS.indexOf(a.finding.step) - STEPS.indexOf(b.finding.step) ||
      severityRank(b.finding.severity) - severityRank(a.finding.severity),
  );
}

export function paint(verdict: Verdict, colors: Colors): string {
  const label = verdict.toUpperCase().padEnd(10);
  return verdict === 'malicious'
    ? colors.red(colors.bold(label))
    : verdict === 'suspicious'
      ? colors.yellow(label)
      : colors.green(label);
}

function severityColor(finding: Finding, colors: Colors): (s: string) => string {
  return finding.severity === 'critical' || finding.severity === 'high'
    ? colors.red
    : finding.severity === 'medium'
      ? colors.yellow
      : colors.dim;
}
