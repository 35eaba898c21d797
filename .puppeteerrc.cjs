/**
 * Puppeteer configuration: never download a browser. imr-letters prints with
 * the system Chromium (Debian's `chromium` package) or the one named by
 * PUPPETEER_EXECUTABLE_PATH; see src/print/browser.ts.
 */
module.exports = { skipDownload: true };
