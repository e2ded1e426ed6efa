#!/usr/bin/env node
// `npm run synth` and `cdk8s synth` start here: run the compiled example (dist-lib/examples/cdk8s/main.js) with
// plain node, so no TypeScript is compiled per run. `npm ci`/`npm install` compile it once (the `prepare` script);
// when a source (lib/, examples/, tsconfig*.json) is newer than the compiled example, it is rebuilt here first
// (`npm run build`), so an edit is never run stale. It also creates dist-lib/crd-parsed, where the library keeps each
// CRD file it parsed as JSON (by the SHA-256 of the YAML bytes), so later runs skip the YAML parse.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const compiled = path.join(root, 'dist-lib', 'examples', 'cdk8s', 'main.js');

function newestSourceMtime() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') || e.name.endsWith('.sh')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  walk(path.join(root, 'lib'));
  walk(path.join(root, 'examples'));
  for (const f of fs.readdirSync(root)) {
    if (/^tsconfig.*\.json$/.test(f)) newest = Math.max(newest, fs.statSync(path.join(root, f)).mtimeMs);
  }
  return newest;
}

let builtAt = 0;
try {
  builtAt = fs.statSync(compiled).mtimeMs;
} catch {
  // not built yet
}
if (builtAt < newestSourceMtime()) {
  console.error('compiling the example (sources changed since the last build)…');
  try {
    execFileSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
  } catch {
    console.error('the TypeScript build failed (see above); fix it, or run `npm run build` to see the errors again');
    process.exit(1);
  }
}
fs.mkdirSync(path.join(root, 'dist-lib', 'crd-parsed'), { recursive: true });
require(compiled);
