/**
 * @module dashboard — the server-rendered web UI of `emoguard serve`: pure functions from data to HTML
 * pages, served by src/apps/api. Every string from mail, logs or files is escaped by the `html` template
 * (HTML Living Standard §13.1.2.3 attribute values, always quoted) and no page has inline script or
 * style, so the CSP (`script-src 'self'; style-src 'self'`, W3C CSP Level 3) can forbid both.
 *
 * @example
 * res.end(renderIncidentList({ lang: 'ja', user, csrfToken }, incidents, {}));
 */
export { APP_CSS, APP_JS } from './assets.js';
export { escapeHtml, html, Html, path } from './html.js';
export {
  DASHBOARD_LABELS,
  DASHBOARD_LANGS,
  isDashboardLang,
  type DashboardLabels,
  type DashboardLang,
} from './labels.js';
export { layout, type PageContext } from './layout.js';
export { renderIncidentDetail, renderIncidentList } from './pages/incidents.js';
export {
  renderAudit,
  renderFindings,
  renderIntel,
  renderQuarantine,
  renderUsers,
  type FindingSearch,
} from './pages/lists.js';
export { renderCoverage } from './pages/coverage.js';
export { renderSafeViewPage, safeViewFramePath, safeViewPath } from './pages/safe-view.js';
export { renderError, renderLogin, type LoginPage } from './pages/login.js';
