/**
 * @module formats/msxml-office — Office's XML forms and Word field codes: Word 2003 XML
 * (WordprocessingML 2003, https://learn.microsoft.com/en-us/previous-versions/office/developer/office-2003/aa174147(v=office.11)),
 * Excel 2003 XML (SpreadsheetML 2003), flat OPC (ECMA-376 Part 2 via the
 * http://schemas.microsoft.com/office/2006/xmlPackage schema), WordprocessingML field instructions
 * (ECMA-376 Part 1 §17.16), field-code semantics (DDE, DDEAUTO, INCLUDEPICTURE, QUOTE) and spreadsheet
 * DDE references. Pattern-based and linear; no DTDs, no entity expansion.
 *
 * Anomaly codes: E_LIMIT_OFFICE_XML_BYTES, E_LIMIT_OFFICE_XML_PARTS, E_LIMIT_OFFICE_XML_BINARY_BYTES.
 *
 * @example
 * const { fields } = findWordFieldInstructions(documentXml);
 * fields.map((f) => classifyFieldCode(f.instruction)) // [{ kind: 'dde', application: 'cmd', … }]
 */
export {
  classifyFieldCode,
  isRemoteTarget,
  quoteFieldValue,
  tokenizeFieldCode,
  type FieldCodeClass,
} from './field-code.js';
export {
  MAX_OFFICE_XML_BYTES,
  MAX_OFFICE_XML_PARTS,
  readOfficeXml,
  type OfficeXml,
  type OfficeXmlBinaryPart,
  type OfficeXmlFlavour,
  type OfficeXmlReference,
  type ReadOfficeXmlOptions,
} from './office-xml.js';
export {
  findDdeFormulas,
  findDdeLinks,
  findFormulaElements,
  type FormulaElement,
  MAX_DDE_FORMULAS,
  type DdeFormula,
  type DdeLink,
} from './spreadsheet-dde.js';
export {
  findWordFieldInstructions,
  MAX_WORDML_FIELDS,
  type WordFieldInstruction,
} from './wordml-fields.js';
export { attribute, decodeXmlEntities, decodeXmlText, readElementText } from './xml-text.js';
