/**
 * Static assets served from our origin at /static/ (CSP `style-src 'self'; script-src 'self'`: nothing
 * inline). Kept as strings so `tsc` ships them in dist/ with the code.
 */
export const APP_CSS = `
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg2:#f6f8fa;--accent:#0969da}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans CJK JP","Noto Sans JP",sans-serif;color:var(--fg)}
header nav{display:flex;gap:1rem;align-items:center;padding:.5rem 1rem;background:#24292f;color:#fff;flex-wrap:wrap}
header nav a{color:#fff;text-decoration:none}header nav a:hover{text-decoration:underline}
header .brand{font-weight:700}header .spacer{flex:1}header .who{color:#d0d7de}
main{padding:1rem 1.5rem;max-width:90rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin-top:1.5rem;border-bottom:1px solid var(--line)}
table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}
th,td{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:var(--bg2)}
.mono,.ev{font-family:ui-monospace,Consolas,monospace;font-size:12px;word-break:break-all}
.ev div{white-space:pre-wrap}
.sev{padding:0 .4rem;border-radius:.6rem;font-size:12px;background:#eaeef2}
.sev-critical{background:#ffebe9;color:#a40e26}.sev-high{background:#fff1e5;color:#9a3d00}
.sev-medium{background:#fff8c5;color:#7d4e00}.sev-low{background:#ddf4ff}
.malicious{color:#a40e26;font-weight:600}.suspicious{color:#9a6700;font-weight:600}.clean{color:#1a7f37}
.empty,.meta{color:var(--muted)}
form.inline{display:inline}
form.stack{display:flex;flex-direction:column;gap:.5rem;max-width:22rem}
form.filters{display:flex;gap:.5rem;flex-wrap:wrap;align-items:end;margin-bottom:1rem}
label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
input,select,button{font:inherit;padding:.25rem .5rem}
button{cursor:pointer}
.error{color:#a40e26;background:#ffebe9;padding:.5rem;border-radius:.3rem}
.steps{display:flex;gap:.25rem;flex-wrap:wrap}
.step{border:1px solid var(--line);border-radius:.3rem;padding:.25rem .5rem;min-width:7rem}
.step.seen{background:#ffebe9;border-color:#cf222e}.step.blocked{background:#dafbe1;border-color:#1a7f37}
ul.tree{list-style:none;padding-left:1.2rem;border-left:1px dotted var(--line)}
.actions form{margin:.25rem 0}
td.cov{text-align:center;white-space:nowrap}
.cov-technique{background:#dafbe1}.cov-tactic{background:#eef9e9}.cov-general,.cov-telemetry{background:#fff8c5}
.cov-none{background:#ffebe9}
iframe.safe-view{width:100%;height:75vh;border:1px solid var(--line);background:#fff}
`;

/** No behaviour is needed: every page works without script. This only moves focus to the first field. */
export const APP_JS = `'use strict';
document.addEventListener('DOMContentLoaded', function () {
  var first = document.querySelector('main input[autofocus]');
  if (first) first.focus();
});
`;
