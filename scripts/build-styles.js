#!/usr/bin/env node
// Compiles the web pages' stylesheet (apps/api/src/web/styles/application.scss) into
// apps/api/src/web/assets/application.css, served at /assets/web/application.css. Run by `npm run build`.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const sass = require('sass');

const root = join(__dirname, '..');
const out = join(root, 'apps/api/src/web/assets/application.css');
const { css } = sass.compile(join(root, 'apps/api/src/web/styles/application.scss'), {
  loadPaths: [root],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import'],
});
writeFileSync(out, css);
console.log(`application.css: ${(Buffer.byteLength(css) / 1000).toFixed(1)} KB`);
