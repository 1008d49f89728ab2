import { renderSafeViewPage } from '../../dashboard/index.js';
import type { Route } from '../app.js';
import { send } from '../http.js';
import {
  safeViewHtml,
  SAFE_VIEW_FRAME_HEADERS,
  SAFE_VIEW_PAGE_CSP,
  viewableRecord,
} from '../safe-view.js';
import type { Services } from '../services.js';
import { pageOf } from './pages.js';

const ID = '(?<id>[0-9]{14}-[0-9a-f]{8})';

/**
 * The safe view of a quarantined message (issue 9): a dashboard page framing `/quarantine/ID/view/frame`
 * in `<iframe sandbox>`; the frame is the static safe-view HTML under its own sandboxing CSP. The raw
 * message is never served (only as the encrypted ZIP of the download route).
 */
export function safeViewRoutes(s: Services): Route[] {
  return [
    {
      method: 'GET',
      pattern: new RegExp(`^/quarantine/${ID}/view$`),
      role: 'viewer',
      handler: async (ctx) => {
        const record = await viewableRecord(s, ctx.params.id!);
        const page = renderSafeViewPage(pageOf(ctx), record);
        send(ctx, 200, page, 'text/html; charset=utf-8', {
          'Content-Security-Policy': SAFE_VIEW_PAGE_CSP,
        });
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/quarantine/${ID}/view/frame$`),
      role: 'viewer',
      handler: async (ctx) => {
        const lang = pageOf(ctx).lang;
        const page = await safeViewHtml(s, ctx.principal!, ctx.params.id!, lang);
        send(ctx, 200, page, 'text/html; charset=utf-8', SAFE_VIEW_FRAME_HEADERS);
      },
    },
  ];
}
