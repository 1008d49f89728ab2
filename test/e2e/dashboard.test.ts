/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core (`npx playwright install`
 * cannot download here). Log in, open the demo incident, change its status, download its report, switch
 * to Japanese, and the XSS probe: a mail subject `<img src=x onerror=alert(1)>` renders as text and no
 * dialog opens; the safe view of a quarantined mail with that subject shows its text in a sandboxed
 * frame, again with no dialog. Skipped, with the reason, when /usr/bin/chromium is missing (.ci/run installs it).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PASSWORDS, startDashboard, XSS_SUBJECT, type Dashboard } from '../support/dashboard.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install chromium)`;

describe('dashboard in Chromium', { skip }, () => {
  let d: Dashboard;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const cspErrors: string[] = [];

  before(async () => {
    d = await startDashboard({ quarantine: true });
    // The probe mail of the incident, byte for byte in the quarantine too: its row links the safe view.
    const { envelope, verdict, action, reasons, findings } = d.quarantined!;
    await d.app.services.quarantine!.dir.put(d.probeMail, {
      ...{ envelope, verdict, action, reasons, findings },
      receivedAt: new Date().toISOString(),
      subject: XSS_SUBJECT,
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const context = await browser.newContext({ acceptDownloads: true, locale: 'ja-JP' });
    page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
  });
  after(async () => {
    await browser?.close();
    await d?.close();
  });

  test('dashboard: a wrong password stays on the login page; the right one opens the incident list', async () => {
    await page.goto(`${d.url}/incidents`);
    assert.match(page.url(), /\/login$/);
    await page.fill('input[name=name]', 'analyst');
    await page.fill('input[name=password]', 'not-the-password');
    await page.click('button[type=submit]');
    assert.equal(await page.locator('.error').count(), 1);
    await page.fill('input[name=password]', PASSWORDS.analyst);
    await page.click('button[type=submit]');
    assert.match(page.url(), /\/incidents$/);
    assert.equal((await page.locator(`a[href="/incidents/${d.incidentId}"]`).count()) > 0, true);
  });

  test('dashboard: the demo incident shows its mails, and the XSS subject is text: no element, no dialog', async () => {
    await page.click(`a[href="/incidents/${d.incidentId}"] >> nth=0`);
    assert.match(page.url(), new RegExp(`/incidents/${d.incidentId}$`));
    const subjects = await page.locator('td.mail-subject').allTextContents();
    assert.ok(
      subjects.some((s) => s.includes('【請求書】')),
      `subjects: ${subjects.join(' | ')}`,
    );
    assert.ok(
      subjects.some((s) => s.includes(XSS_SUBJECT)),
      'the probe is shown as text',
    );
    assert.equal(await page.locator('main img').count(), 0, 'no <img> was created');
    assert.equal(await page.evaluate('document.querySelectorAll("[onerror]").length'), 0);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(cspErrors, [], 'no inline script or style was needed (or blocked)');
  });

  test('dashboard: an analyst changes the status and adds a note; the page and the store show both', async () => {
    await page.selectOption('#status-form select[name=status]', 'contained');
    await page.fill('#status-form input[name=reason]', '端末をネットワークから隔離');
    await page.click('#status-form button[type=submit]');
    assert.equal(await page.locator('#incident-status').textContent(), 'contained');
    assert.equal((await d.store.getIncident(d.incidentId))?.status, 'contained');
    await page.fill('#note-form input[name=text]', `EmoCheck 実行済み ${XSS_SUBJECT}`);
    await page.click('#note-form button[type=submit]');
    const notes = await page.locator('main li').allTextContents();
    assert.ok(notes.some((n) => n.includes('status new → contained: 端末をネットワークから隔離')));
    assert.ok(notes.some((n) => n.includes(`EmoCheck 実行済み ${XSS_SUBJECT}`)));
    assert.deepEqual(dialogs, []);
  });

  test('dashboard: the report downloads as an attachment, never rendered in the page', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('p.report a >> text=HTML'),
    ]);
    assert.match(download.suggestedFilename(), /^emoguard-incident-\d+-en\.html$/);
    const body = readFileSync((await download.path())!, 'utf8');
    assert.match(body, /<html/);
    assert.equal(body.includes(XSS_SUBJECT), false, 'the report escapes the probe too');
    assert.match(page.url(), new RegExp(`/incidents/${d.incidentId}$`));
  });

  test('dashboard: Japanese labels render under lang="ja" in UTF-8', async () => {
    await page.click('nav a[lang=ja]');
    assert.equal(await page.evaluate('document.documentElement.lang'), 'ja');
    assert.equal(await page.evaluate('document.characterSet'), 'UTF-8');
    assert.ok((await page.locator('h2').allTextContents()).includes('タイムライン'));
    assert.match(page.url(), new RegExp(`/incidents/${d.incidentId}$`));
    assert.deepEqual(dialogs, []);
  });

  test('dashboard: the quarantine list shows the probe subject as text, with a ZIP download form only', async () => {
    await page.goto(`${d.url}/quarantine`);
    assert.ok((await page.locator('main td').allTextContents()).includes(XSS_SUBJECT));
    assert.equal(await page.locator('main img').count(), 0);
    assert.equal(
      await page.locator('main a[href*="quarantine/"]:not(.safe-view-link)').count(),
      0,
      'no link to the raw message',
    );
    assert.deepEqual(dialogs, []);
    assert.deepEqual(cspErrors, []);
  });

  test('dashboard: the safe view of the XSS-subject mail shows its text in a sandboxed frame, no dialog', async () => {
    await page.goto(`${d.url}/quarantine`);
    await page.click(`a.safe-view-link[href="/quarantine/${d.quarantined!.id}/view"]`);
    assert.match(page.url(), new RegExp(`/quarantine/${d.quarantined!.id}/view$`));
    const frame = page.locator('iframe.safe-view');
    assert.equal(await frame.getAttribute('sandbox'), '', 'sandbox with no allow-* token');
    const view = page.frameLocator('iframe.safe-view');
    await view.locator('main').waitFor();
    const text = (await view.locator('main').textContent()) ?? '';
    assert.ok(text.includes(XSS_SUBJECT), `the subject is text in the view: ${text.slice(0, 200)}`);
    assert.ok(text.includes('inert body'), 'the body is shown');
    assert.equal(await view.locator('img').count(), 0, 'no <img> was created in the view');
    assert.equal(await page.locator('main img').count(), 0, 'nor on the page');
    assert.deepEqual(dialogs, []);
    assert.deepEqual(cspErrors, [], 'the frame was allowed and needed nothing the policies forbid');
  });

  test('dashboard: the incident page links the safe view of its quarantined probe mail', async () => {
    await page.goto(`${d.url}/incidents/${d.incidentId}`);
    await page.click('td.mail-subject a.safe-view-link');
    const view = page.frameLocator('iframe.safe-view');
    await view.locator('main').waitFor();
    const text = (await view.locator('main').textContent()) ?? '';
    assert.ok(text.includes(XSS_SUBJECT), 'the probe subject is text in the view');
    assert.ok(text.includes('請求書'), 'the Japanese body and its attachment are shown');
    assert.deepEqual(dialogs, []);
  });
});
