import { defineFinding } from '../../core/index.js';

export const remoteTemplate = defineFinding({
  id: 'office.remote-template',
  title: 'Document loads its template from a remote address (template injection)',
  severity: 'high',
  step: '2',
  attack: ['T1221'],
  description:
    'An attachedTemplate relationship with TargetMode="External", a Word 2003 w:attachedTemplate or ' +
    'an RTF \\*\\template points at a URL or UNC path: Word fetches it on open, so a clean-looking ' +
    'document pulls its macros (or NTLM credentials) from the attacker. The target is in the evidence.',
});

export const externalOleLink = defineFinding({
  id: 'office.external-ole-link',
  title: 'Linked OLE object fetched from outside the document',
  severity: 'medium',
  step: '2',
  attack: ['T1221'],
  description:
    'An OLE object linked, not embedded: an oleObject relationship with TargetMode="External", an OLE1 ' +
    'LinkedObject, an RTF \\objautlink, or a URL moniker in \\x01Ole (CVE-2017-0199: Word fetches an ' +
    'HTA or script from the URL and runs it through its OLE server).',
});

export const externalContent = defineFinding({
  id: 'office.external-content',
  title: 'Document includes remote content (frame, subdocument, INCLUDE field)',
  severity: 'medium',
  step: '2',
  attack: ['T1221'],
  description:
    'A frame or subDocument relationship with an external target, or an INCLUDETEXT/INCLUDEPICTURE/' +
    'IMPORT/LINK field with a URL or UNC path: the document loads content the attacker controls when ' +
    'opened, and UNC paths leak the user’s NTLM hash.',
});

export const ddeField = defineFinding({
  id: 'office.dde-field',
  title: 'DDE field: the document asks to start another application',
  severity: 'high',
  step: '4',
  attack: ['T1559.002'],
  description:
    "A DDE or DDEAUTO field (Word), a ddeLink or a app|'topic'!item formula (Excel) makes Office " +
    'start a DDE server application when the document opens or updates, after one dialog: code ' +
    'execution without macros. The instruction is in the evidence.',
});

export const ddeCommand = defineFinding({
  id: 'office.dde-command-execution',
  title: 'DDE field runs a command interpreter (cmd, PowerShell, mshta …)',
  severity: 'critical',
  step: '4',
  attack: ['T1559.002', 'T1059'],
  description:
    'The DDE server is cmd.exe, PowerShell, mshta, rundll32, regsvr32, wscript or cscript, and the ' +
    'topic is its command line: the 2017–2018 DDE campaigns that dropped Emotet and Hancitor this way.',
});

export const rtfEmbeddedObject = defineFinding({
  id: 'office.rtf-embedded-object',
  title: 'RTF document embeds OLE objects',
  severity: 'medium',
  step: '2',
  attack: ['T1204.002'],
  description:
    'The RTF carries \\object/\\objdata OLE objects. Legitimate RTF rarely does; exploit documents ' +
    '(CVE-2017-11882, CVE-2017-0199, CVE-2012-0158) and packager droppers always do. Each object is ' +
    'extracted and scanned as a child; the evidence gives its class, offset and any hex tricks.',
});

export const equationEditor = defineFinding({
  id: 'office.equation-editor-object',
  title: 'Equation Editor object (CVE-2017-11882 / CVE-2018-0802 exploit carrier)',
  severity: 'high',
  step: '2',
  attack: ['T1203'],
  description:
    'An embedded object of the Microsoft Equation 3.0 class (CLSID 0002CE02…, ProgID Equation.3, an ' +
    '"Equation Native" stream): EQNEDT32.EXE has stack overflows that run shellcode on open. Office ' +
    'removed it in 2018; documents still carrying it are almost always exploits.',
});

export const packageExecutable = defineFinding({
  id: 'office.package-executable',
  title: 'Embedded package drops an executable or script',
  severity: 'high',
  step: '2',
  attack: ['T1204.002'],
  description:
    'An OLE Package object carries a file the user runs with one double-click on its icon: .exe, .scr, ' +
    '.lnk, .vbs, .js, .hta, .bat, .ps1 … or content that is a PE or LNK whatever its name says.',
});

export const embeddedObject = defineFinding({
  id: 'office.embedded-object',
  title: 'Embedded OLE objects extracted',
  severity: 'info',
  step: '2',
  attack: [],
  description:
    'The document embeds OLE objects or packages (ObjectPool, oleObject parts, PowerPoint ExOleObjStg, ' +
    'Excel MBD storages). Each is extracted and scanned as a child.',
});

export const activeMimeContainer = defineFinding({
  id: 'office.activemime-container',
  title: 'ActiveMime (MSO) container holding Office content',
  severity: 'medium',
  step: '2',
  attack: ['T1059.005', 'T1027'],
  description:
    'A base64 ActiveMime blob (editdata.mso, oledata.mso) in MHTML or Word/Excel 2003 XML, or an MSO ' +
    'file itself: zlib-compressed OLE content that many gateways never unpack. It was inflated and ' +
    'scanned as a child.',
});

export const webDocumentMacros = defineFinding({
  id: 'office.web-document-macros',
  title: 'Macros hidden in an MHTML or XML Office document',
  severity: 'high',
  step: '2',
  attack: ['T1059.005', 'T1027'],
  description:
    'The MHTML "single file web page", Word 2003 XML or flat OPC XML document carries a VBA project ' +
    '(in an ActiveMime blob or a base64 vbaProject part). Word runs it like a .doc; the format is used ' +
    'to slip macros past filters that look only at .doc/.docm.',
});

export const OFFICE_FINDINGS = [
  remoteTemplate,
  externalOleLink,
  externalContent,
  ddeField,
  ddeCommand,
  rtfEmbeddedObject,
  equationEditor,
  packageExecutable,
  embeddedObject,
  activeMimeContainer,
  webDocumentMacros,
] as const;
