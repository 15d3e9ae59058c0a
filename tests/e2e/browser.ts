// The tests use the app's own Chromium launcher (server/browser.ts).
export { CHROMIUM_PATH, launchBrowser } from '../../server/browser';
