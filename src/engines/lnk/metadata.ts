import type { Evidence } from '../../core/index.js';
import { collapseWhitespace } from '../../formats/command-line/index.js';
import type { ShellLink } from '../../formats/lnk/index.js';

const SHOW = new Map([
  [1, 'SW_SHOWNORMAL'],
  [3, 'SW_SHOWMAXIMIZED'],
  [7, 'SW_SHOWMINNOACTIVE'],
]);

/** Every field a responder pivots on, one evidence item each, labelled by its MS-SHLLINK structure. */
export function metadataEvidence(link: ShellLink): Evidence[] {
  const out: Evidence[] = [];
  const add = (location: string, value: string | undefined, note?: string) => {
    if (value === undefined || value === '') return;
    out.push({ location, text: value, ...(note ? { note } : {}) });
  };
  const args = link.strings.arguments;
  add('target', link.target);
  add('LinkTargetIDList', link.idListPath !== link.target ? link.idListPath : undefined);
  add(
    'COMMAND_LINE_ARGUMENTS',
    args === undefined ? undefined : collapseWhitespace(args),
    args ? `${args.length} characters` : undefined,
  );
  add('WORKING_DIR', link.strings.workingDir);
  add('RELATIVE_PATH', link.strings.relativePath);
  add('NAME_STRING', link.strings.name);
  add('ICON_LOCATION', link.strings.iconLocation, `index ${link.header.iconIndex}`);
  add('IconEnvironmentDataBlock', link.extra.iconEnvironmentTarget);
  add('LinkInfo.NetName', link.linkInfo?.netName);
  const tracker = link.extra.tracker;
  add('TrackerDataBlock.MachineID', tracker?.machineId);
  add('TrackerDataBlock.MAC', tracker?.macAddress, 'from the version-1 droid file id');
  add('TrackerDataBlock.Droid', tracker?.droidFileId);
  const serial = link.linkInfo?.driveSerialNumber;
  add(
    'VolumeID.DriveSerialNumber',
    serial === undefined ? undefined : serial.toString(16).toUpperCase().padStart(8, '0'),
    link.linkInfo?.volumeLabel ? `label ${link.linkInfo.volumeLabel}` : undefined,
  );
  add('KnownFolderDataBlock', link.extra.knownFolderId);
  add('ShellLinkHeader.CreationTime', link.header.creationTime);
  add('ShellLinkHeader.WriteTime', link.header.writeTime);
  add(
    'ShellLinkHeader.ShowCommand',
    SHOW.get(link.header.showCommand) ?? String(link.header.showCommand),
  );
  for (const s of link.extra.propertyStrings.slice(0, 4)) add('PropertyStoreDataBlock', s);
  return out;
}
