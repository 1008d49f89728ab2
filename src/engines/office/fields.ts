import { classifyFieldCode, isRemoteTarget } from '../../formats/msxml-office/index.js';
import { ddeCommand, ddeField, externalContent } from './findings.js';
import type { OfficeOutput } from './output.js';

/** Programs whose start by DDE is command execution, not a data link (msodde's and Emotet's list). */
const INTERPRETER =
  /(?:^|[\\/\s"'=|])(?:cmd|powershell|pwsh|mshta|rundll32|regsvr32|wscript|cscript|certutil|bitsadmin|msiexec|schtasks|forfiles|conhost|explorer|hh)(?:\.exe)?(?=$|[\s"'/,;&|])/i;

export interface FieldSource {
  instruction: string;
  location: string;
  offset?: number;
}

/** DDE and remote INCLUDE fields of one document, as findings with the instruction as evidence. */
export function reportFields(out: OfficeOutput, fields: readonly FieldSource[]): void {
  for (const field of fields) {
    const code = classifyFieldCode(field.instruction);
    if (!code) continue;
    const where = {
      location: field.location,
      ...(field.offset === undefined ? {} : { offset: field.offset }),
    };
    if (code.kind === 'dde') {
      reportDde(out, field.instruction, code.application, code.topic, where);
    } else if (isRemoteTarget(code.target)) {
      out.add(externalContent, { text: code.target, note: field.instruction.trim(), ...where });
    }
  }
}

/** One DDE request (field, ddeLink or formula): critical when the server is a command interpreter. */
export function reportDde(
  out: OfficeOutput,
  text: string,
  application: string,
  topic: string,
  where: { location: string; offset?: number },
): void {
  const command = `${application} ${topic}`.trim();
  const isCommand = INTERPRETER.test(` ${application}`) || INTERPRETER.test(` ${topic}`);
  out.add(isCommand ? ddeCommand : ddeField, {
    text: text.trim(),
    note: `server ${application || '(none)'}; command ${command}`,
    ...where,
  });
}
