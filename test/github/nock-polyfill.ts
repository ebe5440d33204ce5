/**
 * nock 15 intercepts fetch through @mswjs/interceptors, whose socket layer calls
 * `Promise.withResolvers` (Node 22+). vitest's setup file already installs the polyfill;
 * tests that use nock still import this first so they hold when run without that config.
 */
import "../setup/promise-with-resolvers.js";
export {};
