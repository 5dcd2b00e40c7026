// Copies the chart library installed from the npm registry into ../assets,
// where report/html.go embeds it. Run `npm ci && npm run vendor` after
// changing the version in package.json; commit package.json,
// package-lock.json and ../assets/echarts.min.js together (a Go test fails
// if they disagree).
import { readFileSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('node_modules/echarts/package.json', 'utf8'));
const want = JSON.parse(readFileSync('package.json', 'utf8')).dependencies.echarts;
if (pkg.version !== want) {
  throw new Error(`node_modules has echarts ${pkg.version}, package.json pins ${want}: run npm ci`);
}
const lib = readFileSync('node_modules/echarts/dist/echarts.min.js', 'utf8');
if (lib.includes('</script')) {
  throw new Error('echarts.min.js contains "</script" and cannot be inlined in a <script> element');
}
const header = `/*! echarts ${pkg.version} (npm: echarts@${pkg.version}, dist/echarts.min.js, Apache-2.0). Vendored by report/web/vendor.mjs; do not edit. */\n`;
writeFileSync('../assets/echarts.min.js', header + lib);
writeFileSync('../assets/echarts.NOTICE', readFileSync('node_modules/echarts/NOTICE', 'utf8'));
console.log(`wrote ../assets/echarts.min.js (echarts ${pkg.version}, ${header.length + lib.length} bytes)`);
