#!/usr/bin/env node
// The `paylens` command: runs the built CLI (npm run build makes out/main/cli.js).
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'out', 'main', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('paylens: not built yet; run `npm run build` first\n');
  process.exit(1);
}
require(cli)
  .main(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    isTty: Boolean(process.stdout.isTTY),
  })
  .then((code) => {
    process.exitCode = code;
  });
