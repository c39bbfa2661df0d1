/**
 * The console's page: no inline script or style, so that it runs under {@link CONSOLE_CSP}. The
 * script and the styles are the package's own files, served from the console's `assets/`.
 */

/**
 * The Content-Security-Policy of the console page. Scripts, styles and API calls come from the
 * server's own origin only; nothing may frame the page, post a form or change its base URL.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The page's icon: a key, in the console's blue. Served so that browsers do not ask for /favicon.ico. */
export const CONSOLE_ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="10" cy="16" r="7" fill="none" stroke="#0a58ca" stroke-width="4"/><path d="M17 16h13v6M25 16v5" fill="none" stroke="#0a58ca" stroke-width="4"/></svg>';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function attribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * Where the module's routes start, seen from the browser: the request path without the
 * console's own path. It is what a global prefix (`app.setGlobalPrefix('api')`) adds, or ''.
 */
export function routePrefixOf(requestUrl: string, consolePath: string): string {
  const pathname = requestUrl.split(/[?#]/, 1)[0]!.replace(/\/+$/, '');
  const suffix = `/${consolePath}`;
  return pathname.endsWith(suffix) ? pathname.slice(0, -suffix.length) : '';
}

/** The HTML of the console page for a request to `requestUrl`. */
export function consolePage(requestUrl: string, consolePath: string): string {
  const prefix = routePrefixOf(requestUrl, consolePath);
  const assets = attribute(`${prefix}/${consolePath}/assets`);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="referrer" content="no-referrer">
    <title>M2M console</title>
    <link rel="icon" href="${assets}/m2m-console.svg" type="image/svg+xml">
    <link rel="stylesheet" href="${assets}/m2m-console.css">
    <script type="module" src="${assets}/m2m-console.js"></script>
  </head>
  <body>
    <m2m-console api-base="${attribute(`${prefix}/`)}"></m2m-console>
    <noscript>The M2M console needs JavaScript.</noscript>
  </body>
</html>
`;
}
