import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { buildDocm } from '../../formats/ooxml/index.js';
import { buildOleWordDocument, buildVbaProjectBin } from '../../formats/ovba/index.js';
import { DEMO_BENIGN_MACRO, DEMO_MAIL, demoMacroModules } from './content.js';

export interface DemoFile {
  /** Path inside the demo folder. */
  path: string;
  bytes: Uint8Array;
  /** What the file stands for in the story. */
  what: string;
}

const MAIL_DATE = new Date('2026-11-20T09:12:00+09:00');

/**
 * The demo incident, generated in code: the Japanese invoice mail that starts it (step ①) with its
 * macro document (②③④), the same macro in a .docm (the OOXML variant), the decoded loader script that
 * the macro would start (⑤), and a harmless macro for contrast. Later layers add their evidence here
 * (event logs, proxy logs, a memory image).
 */
export async function buildDemoCorpus(): Promise<DemoFile[]> {
  const modules = demoMacroModules();
  const doc = buildOleWordDocument({ text: '請求書 (emoguard demo)', modules });
  const docm = buildDocm({
    vbaProjectBin: buildVbaProjectBin({ modules }),
    text: '見積書 (emoguard demo)',
  });
  const mail = await composeMail(doc);
  return [
    {
      path: `mail/${DEMO_MAIL.attachmentName.replace(/\.doc$/, '')}.eml`,
      bytes: mail,
      what: '① invoice mail with a macro document',
    },
    { path: 'documents/見積書_202611.docm', bytes: docm, what: '②③ the same macro in a .docm' },
    {
      path: 'documents/format-tables.bas',
      bytes: new TextEncoder().encode(DEMO_BENIGN_MACRO),
      what: 'a harmless macro',
    },
  ];
}

async function composeMail(attachment: Uint8Array): Promise<Uint8Array> {
  const composer = new MailComposer({
    from: DEMO_MAIL.from,
    to: DEMO_MAIL.to,
    replyTo: DEMO_MAIL.replyTo,
    subject: DEMO_MAIL.subject,
    inReplyTo: DEMO_MAIL.inReplyTo,
    references: DEMO_MAIL.inReplyTo,
    date: MAIL_DATE,
    messageId: '<demo-20261120091200@mailer.example.net>',
    text: DEMO_MAIL.text,
    headers: {
      'Authentication-Results':
        'mx.victim.example.co.jp; spf=fail smtp.mailfrom=mailer.example.net; dkim=none; dmarc=fail header.from=mailer.example.net',
    },
    attachments: [
      {
        filename: DEMO_MAIL.attachmentName,
        content: Buffer.from(attachment),
        contentType: 'application/msword',
      },
    ],
  });
  const message = await new Promise<Buffer>((resolve, reject) =>
    composer.compile().build((error, out) => (error ? reject(error) : resolve(out))),
  );
  return new Uint8Array(message);
}
