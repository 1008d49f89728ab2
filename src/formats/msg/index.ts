/**
 * @module msg — Outlook .msg files ([MS-OXMSG], [MS-OXPROPS]) read with @kenjiuno/msgreader and rebuilt as
 * RFC 5322 messages for the mail engine.
 *
 * @example
 * const { eml } = msgToEml(bytes); // then parseMail(eml)
 */
export { MAX_MSG_ATTACHMENTS, msgToEml } from './to-eml.js';
export type { MsgOptions } from './to-eml.js';
export { isOutlookMsg } from './sniff.js';
