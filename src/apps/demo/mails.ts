/**
 * Step ① of the demo as mails (RFC 5322, written by nodemailer's composer): an invoice with a macro
 * document, a password ZIP with the password in the body, a link to a document, and a reply inside a
 * stolen thread. Inert: example.* domains, the attachments are the demo's inert macro documents.
 */
import { Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { DEMO_MAIL } from './content.js';

const AUTH_FAIL =
  'mx.victim.example.co.jp; spf=fail smtp.mailfrom=mailer.example.net; dkim=none; dmarc=fail header.from=mailer.example.net';

export interface MailSpec {
  subject: string;
  text: string;
  date: Date;
  messageId: string;
  inReplyTo?: string;
  attachments?: { filename: string; content: Uint8Array; contentType: string }[];
}

export async function composeMail(spec: MailSpec): Promise<Uint8Array> {
  const composer = new MailComposer({
    from: DEMO_MAIL.from,
    to: DEMO_MAIL.to,
    replyTo: DEMO_MAIL.replyTo,
    subject: spec.subject,
    ...(spec.inReplyTo ? { inReplyTo: spec.inReplyTo, references: spec.inReplyTo } : {}),
    date: spec.date,
    messageId: spec.messageId,
    text: spec.text,
    headers: { 'Authentication-Results': AUTH_FAIL },
    attachments: (spec.attachments ?? []).map((a) => ({
      filename: a.filename,
      content: Buffer.from(a.content),
      contentType: a.contentType,
    })),
  });
  const message = await new Promise<Buffer>((resolve, reject) =>
    composer.compile().build((error, out) => (error ? reject(error) : resolve(out))),
  );
  return new Uint8Array(message);
}

/** The 2020 wave's thread-hijacking reply (the demo incident's mail): `Re:` inside a stolen thread. */
export function hijackedReply(doc: Uint8Array): Promise<Uint8Array> {
  return composeMail({
    subject: DEMO_MAIL.subject,
    text: DEMO_MAIL.text,
    date: new Date('2026-11-20T09:12:00+09:00'),
    messageId: '<demo-20261120091200@mailer.example.net>',
    inReplyTo: DEMO_MAIL.inReplyTo,
    attachments: [
      { filename: DEMO_MAIL.attachmentName, content: doc, contentType: 'application/msword' },
    ],
  });
}

/** A fresh invoice mail with the macro document attached. */
export function invoiceMail(doc: Uint8Array): Promise<Uint8Array> {
  return composeMail({
    subject: '【請求書】11月分のご請求について',
    text: [
      'ご担当者様',
      '',
      '11月分の請求書を添付いたします。',
      '添付ファイルを開き、「編集を有効にする」「コンテンツの有効化」をクリックしてください。',
      '',
      '株式会社パートナー 経理部',
    ].join('\r\n'),
    date: new Date('2026-11-20T09:05:00+09:00'),
    messageId: '<demo-invoice-20261120090500@mailer.example.net>',
    attachments: [
      { filename: '請求書_202611.doc', content: doc, contentType: 'application/msword' },
    ],
  });
}

export const ZIP_PASSWORD = 'Inv2611';

/** Emotet 2020: the document in a ZipCrypto ZIP that gateways cannot open, the password in the body. */
export async function passwordZipMail(doc: Uint8Array): Promise<Uint8Array> {
  const writer = new ZipWriter(new Uint8ArrayWriter(), { useWebWorkers: false });
  await writer.add('請求書_202611.doc', new Uint8ArrayReader(doc), {
    password: ZIP_PASSWORD,
    zipCrypto: true,
  });
  const zip = await writer.close();
  return composeMail({
    subject: '請求書送付の件',
    text: ['添付ファイルをご確認ください。', '', `パスワード：${ZIP_PASSWORD}`, ''].join('\r\n'),
    date: new Date('2026-11-20T09:07:00+09:00'),
    messageId: '<demo-zip-20261120090700@mailer.example.net>',
    attachments: [{ filename: '請求書_202611.zip', content: zip, contentType: 'application/zip' }],
  });
}

export const DOCUMENT_LINK = 'https://invoice.example.com/download/seikyusho_202611.doc';

/** A link to the document instead of an attachment (2021–2022 waves). */
export function linkMail(): Promise<Uint8Array> {
  return composeMail({
    subject: '【至急】お支払い明細のご確認',
    text: [
      'ご担当者様',
      '',
      '明細書は以下のリンクからダウンロードしてください。',
      DOCUMENT_LINK,
      '',
      '株式会社パートナー 経理部',
    ].join('\r\n'),
    date: new Date('2026-11-20T09:09:00+09:00'),
    messageId: '<demo-link-20261120090900@mailer.example.net>',
  });
}
