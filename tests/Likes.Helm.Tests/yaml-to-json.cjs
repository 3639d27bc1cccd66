// Prints the documents of YAML files as JSON, for the C# tests (which have no YAML parser):
// usage: node yaml-to-json.cjs <file>...  ->  {"<file>": [<document>, ...], ...}
'use strict';
const fs = require('fs');
let yaml;
try {
  yaml = require('js-yaml');
} catch (e) {
  console.error(`missing Node package js-yaml (${e.message}); run ./likes test, which installs it`);
  process.exit(2);
}
const out = {};
for (const file of process.argv.slice(2)) {
  out[file] = yaml.loadAll(fs.readFileSync(file, 'utf8'));
}
console.log(JSON.stringify(out));
