// Copies the files the browser loads from @noble/hashes out of node_modules into vendor/, or,
// with --check, fails unless vendor/ holds exactly what the installed (lock file) version gives.
//   node tools/vendor.mjs          write web/vendor/noble-hashes/
//   node tools/vendor.mjs --check  compare, exit 1 on any difference
// One rewrite is made: utils.js imports '@noble/hashes/crypto', a bare specifier a browser
// cannot resolve without an import map (an inline script the CSP forbids), so it becomes the
// relative './crypto.js'. Everything else is byte for byte the package's esm/ build.

import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE = join(WEB, 'node_modules', '@noble', 'hashes');
const TARGET = join(WEB, 'vendor', 'noble-hashes');

// scrypt and what it imports, transitively; .d.ts files let tsc type-check the callers.
const MODULES = ['scrypt', 'pbkdf2', 'hmac', 'sha2', '_md', '_u64', 'utils', 'crypto'];

/** @returns {Map<string, string>} file name -> content, as vendor/ must hold it */
function expectedFiles() {
  const lock = JSON.parse(readFileSync(join(WEB, 'package-lock.json'), 'utf8'));
  const locked = lock.packages['node_modules/@noble/hashes'].version;
  const installed = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')).version;
  if (locked !== installed) {
    throw new Error(`node_modules has @noble/hashes ${installed}, the lock file ${locked}: run npm ci`);
  }
  const files = new Map();
  for (const name of MODULES) {
    for (const ext of ['.js', '.d.ts']) {
      const text = readFileSync(join(PACKAGE, 'esm', name + ext), 'utf8');
      files.set(name + ext, text.replaceAll("from '@noble/hashes/crypto'", "from './crypto.js'"));
    }
  }
  files.set('LICENSE', readFileSync(join(PACKAGE, 'LICENSE'), 'utf8'));
  files.set('VERSION', `@noble/hashes ${locked}\n`);
  return files;
}

function write() {
  rmSync(TARGET, { recursive: true, force: true });
  mkdirSync(TARGET, { recursive: true });
  for (const [name, text] of expectedFiles()) writeFileSync(join(TARGET, name), text);
}

function check() {
  const expected = expectedFiles();
  const present = readdirSync(TARGET);
  const problems = present.filter((name) => !expected.has(name)).map((name) => `unexpected ${name}`);
  for (const [name, text] of expected) {
    if (!present.includes(name)) problems.push(`missing ${name}`);
    else if (readFileSync(join(TARGET, name), 'utf8') !== text) problems.push(`differs: ${name}`);
  }
  if (problems.length > 0) {
    console.error(`web/vendor/noble-hashes does not match node_modules (run npm run vendor):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`web/vendor/noble-hashes matches the locked @noble/hashes (${expected.size} files)`);
}

if (process.argv.includes('--check')) check();
else write();
