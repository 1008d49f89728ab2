/**
 * Stand-in format disarmers for tests of the disarm plumbing (dispatch, re-scan, CLI, gateway), so they
 * do not depend on the format disarmers' internals: a macro .docm becomes the builder's clean .docx.
 */
import type { FileType } from '../../src/core/index.js';
import type { Disarmer } from '../../src/engines/disarm/index.js';
import { buildDocm } from '../builders/zip.js';
import { buildDocx } from '../builders/office.js';
import { buildVbaProjectBin } from '../../src/formats/ovba/index.js';
import { demoMacroModules } from '../../src/apps/demo/index.js';

/** An inert macro .docm: the demo's AutoOpen → WMI → PowerShell chain as text, never run. */
export function macroDocm(text = 'invoice 2024-001'): Uint8Array {
  return buildDocm({ vbaProjectBin: buildVbaProjectBin({ modules: demoMacroModules() }), text });
}

export const cleanDocx = (): Uint8Array =>
  buildDocx({ body: ['<w:r><w:t>invoice 2024-001</w:t></w:r>'] });

/**
 * OOXML with a VBA project → the clean .docx (as a real disarmer would, minus the work), other OOXML
 * unchanged; OLE → refused as encrypted.
 */
export const FAKE_DISARMERS: Readonly<Partial<Record<FileType, Disarmer>>> = {
  ooxml: (bytes) =>
    Buffer.from(bytes).includes('vbaProject.bin')
      ? {
          status: 'disarmed',
          output: cleanDocx(),
          outputType: 'ooxml',
          outputExtension: '.docx',
          removed: [{ kind: 'vba-project', location: 'word/vbaProject.bin', detail: 'Module1' }],
        }
      : { status: 'unchanged', output: bytes, removed: [] },
  ole: () => ({
    status: 'refused',
    removed: [],
    refusal: 'encrypted',
    reason: 'the document is encrypted with an unknown password',
  }),
};

/** A disarmer that removes nothing and gives the input back: the re-scan must catch it. */
export const LAZY_DISARMERS: Readonly<Partial<Record<FileType, Disarmer>>> = {
  ooxml: (bytes) => ({ status: 'unchanged', output: bytes, removed: [] }),
};
