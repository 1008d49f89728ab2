import type { CfbNode, CfbRoot } from '../../formats/cfb/index.js';
import { parseCompObj } from '../../formats/oleobj/index.js';
import type { Removal } from './types.js';

type Parent = CfbNode | CfbRoot;

/** Streams of an object storage (MS-OLEDS 2.3): what makes a storage an embedded object. */
const OBJECT_MARKERS = new Set(['\x01OLE10NATIVE', '\x01OLE', '\x01COMPOBJ', 'EQUATION NATIVE']);
/** MS-OFORMS / [MS-DOC] 2.1: an ActiveX control in Word's ObjectPool names itself here. */
const OCXNAME = '\x03OCXNAME';
/** Excel's embedded-object storages ([MS-XLS] 2.1.7.13): `MBD` and eight hex digits. */
const EXCEL_OBJECT = /^MBD[0-9A-F]{8}$/i;
/** vbaProject.bin layout (MS-OVBA 2.2.1): the project streams beside a root-level VBA storage. */
const ROOT_PROJECT_STREAMS = new Set(['PROJECT', 'PROJECTWM', 'VBA']);

const upper = (node: CfbNode): string => node.name.toUpperCase();

/**
 * Removes every VBA project (MS-OVBA 2.2.1): the storage holding a `VBA` storage — `Macros` in Word,
 * `_VBA_PROJECT_CUR` in Excel, a nested document's project — or, when `VBA` sits at the root (a bare
 * vbaProject.bin), the `VBA` storage and the `PROJECT`/`PROJECTwm` streams. The vba engine reads
 * any storage named `VBA`, so this does too: a project renamed to hide is still removed.
 */
export function removeVbaProjects(root: CfbRoot, removed: Removal[]): void {
  const walk: { node: Parent; path: string }[] = [{ node: root, path: '' }];
  // SECURITY: the tree came from the reader (each entry once, bounded depth): this walk is finite.
  while (walk.length > 0) {
    const { node, path } = walk.pop()!;
    const children = node.children ?? [];
    const hasVba = children.some((c) => c.type === 'storage' && upper(c) === 'VBA');
    if (hasVba && path === '') {
      const gone = children.filter((c) => ROOT_PROJECT_STREAMS.has(upper(c)));
      node.children = children.filter((c) => !gone.includes(c));
      removed.push({ kind: 'vba-project', location: 'VBA', detail: describeProject(gone) });
      continue;
    }
    const kept: CfbNode[] = [];
    for (const child of children) {
      const childPath = path ? `${path}/${child.name}` : child.name;
      const isProject = child.children?.some((c) => c.type === 'storage' && upper(c) === 'VBA');
      if (child.type === 'storage' && isProject) {
        removed.push({
          kind: 'vba-project',
          location: childPath,
          detail: describeProject(child.children ?? []),
        });
        continue;
      }
      kept.push(child);
      if (child.type === 'storage') walk.push({ node: child, path: childPath });
    }
    node.children = kept;
  }
}

function describeProject(nodes: CfbNode[]): string {
  const vba = nodes.find((c) => upper(c) === 'VBA');
  const modules = (vba?.children ?? []).filter(
    (c) =>
      c.type === 'stream' &&
      !['DIR', '_VBA_PROJECT'].includes(upper(c)) &&
      !/^__SRP_/i.test(c.name),
  );
  return `${modules.length} module stream(s): ${modules
    .slice(0, 8)
    .map((m) => m.name)
    .join(', ')}`;
}

/**
 * Removes embedded objects: the storages under Word's `ObjectPool` (the pool itself stays, empty, as
 * Word writes it for a document without objects), Excel's `MBD…` storages, and any other storage
 * below the root that holds an object's streams (`\x01Ole`, `\x01CompObj`, `\x01Ole10Native`,
 * `Equation Native`). The records that placed them (Word's picture characters, Excel's Obj records)
 * stay: the readers then show the cached picture or an empty frame.
 */
export function removeEmbeddedObjects(root: CfbRoot, removed: Removal[]): void {
  root.children = root.children.filter((child) => {
    if (child.type === 'storage' && upper(child) === 'OBJECTPOOL') {
      for (const object of child.children ?? []) {
        removed.push(objectRemoval(object, `ObjectPool/${object.name}`, 'object-pool'));
      }
      child.children = [];
      return true;
    }
    if (child.type === 'storage' && EXCEL_OBJECT.test(child.name)) {
      removed.push(objectRemoval(child, child.name, 'ole-object'));
      return false;
    }
    return true;
  });
  const walk: { node: Parent; path: string }[] = [{ node: root, path: '' }];
  while (walk.length > 0) {
    const { node, path } = walk.pop()!;
    node.children = (node.children ?? []).filter((child) => {
      if (child.type !== 'storage') return true;
      const childPath = path ? `${path}/${child.name}` : child.name;
      if ((child.children ?? []).some((c) => OBJECT_MARKERS.has(upper(c)))) {
        removed.push(objectRemoval(child, childPath, 'ole-object'));
        return false;
      }
      walk.push({ node: child, path: childPath });
      return true;
    });
  }
}

function objectRemoval(node: CfbNode, location: string, kind: Removal['kind']): Removal {
  const streams = node.children ?? [];
  const find = (name: string): CfbNode | undefined => streams.find((s) => upper(s) === name);
  const compObj = find('\x01COMPOBJ')?.data;
  const parsed = compObj ? parseCompObj(compObj) : undefined;
  const className = parsed?.progId || parsed?.userType || undefined;
  const isControl = find(OCXNAME) !== undefined;
  const isPackage = find('\x01OLE10NATIVE') !== undefined;
  const kindFor: Removal['kind'] = isControl ? 'activex' : isPackage ? 'embedded-package' : kind;
  return { kind: kindFor, location, ...(className ? { detail: className } : {}) };
}
