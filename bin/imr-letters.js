#!/usr/bin/env node
// The imr-letters command. The TypeScript sources are compiled to dist/ by
// `npm ci` (the `prepare` script) or `npm run compile`.
import { main } from '../dist/cli.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
