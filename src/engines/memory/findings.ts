import { defineFinding } from '../../core/index.js';

export const rwxPeRegion = defineFinding({
  id: 'memory.rwx-pe-region',
  title: 'Injected code: a PE image in private read-write-execute memory',
  severity: 'high',
  step: '6',
  attack: ['T1055'],
  description:
    'A private (MEM_PRIVATE) memory region that is writable and executable at once holds an MZ/PE ' +
    'header. The Windows loader maps images as MEM_IMAGE; a PE in VirtualAlloc-ed RWX memory was ' +
    'written there by code, as Emotet loaders and process injection (reflective DLL loading, process ' +
    'hollowing) do. Dump the region (address in the evidence) and scan it as a PE.',
});

export const MEMORY_FINDINGS = [rwxPeRegion] as const;
