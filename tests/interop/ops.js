#!/usr/bin/env node
// node-tfhe@1.7.0 side of the operator interop test (tests/interop_ops_test.cpp):
//
//   ops.js TOOLS_DIR prepare DIR        ClientKey (default config) in DIR/ck.bin and two operands
//                                       per type in DIR/<type>_{a,b}.bin; DIR/values.txt lists
//                                       "type a b" (decimal; bool as 0/1)
//   ops.js TOOLS_DIR decrypt DIR LIST   LIST has "file type" lines; prints one decrypted value per
//                                       line (0/1 for bool), in order
'use strict';
const fs = require('fs');
const path = require('path');

const LIMIT = 1n << 30n;
const [toolsDir, cmd, dir, list] = process.argv.slice(2);
if (!toolsDir || !cmd || !dir) {
  process.stderr.write('usage: ops.js TOOLS_DIR prepare DIR | decrypt DIR LIST\n');
  process.exit(2);
}
const T = require(path.join(toolsDir, 'node_modules', 'node-tfhe'));

const CLASSES = {bool: T.FheBool, uint8: T.FheUint8, uint64: T.FheUint64};
const OPERANDS = {
  bool: [1n, 0n],
  uint8: [200n, 77n],
  uint64: [18446744073709551557n, 9876543210987654321n],
};

function encrypt(ck, type, v) {
  const x = type === 'bool' ? v !== 0n : (type === 'uint8' ? Number(v) : v);
  return CLASSES[type].encrypt_with_client_key(x, ck).safe_serialize(LIMIT);
}

if (cmd === 'prepare') {
  const ck = T.TfheClientKey.generate(T.TfheConfigBuilder.default().build());
  fs.writeFileSync(path.join(dir, 'ck.bin'), ck.safe_serialize(LIMIT));
  const lines = [];
  for (const [type, [a, b]] of Object.entries(OPERANDS)) {
    fs.writeFileSync(path.join(dir, `${type}_a.bin`), encrypt(ck, type, a));
    fs.writeFileSync(path.join(dir, `${type}_b.bin`), encrypt(ck, type, b));
    lines.push(`${type} ${a} ${b}`);
  }
  fs.writeFileSync(path.join(dir, 'values.txt'), lines.join('\n') + '\n');
} else if (cmd === 'decrypt') {
  const ck = T.TfheClientKey.safe_deserialize(fs.readFileSync(path.join(dir, 'ck.bin')), LIMIT);
  const out = [];
  for (const line of fs.readFileSync(list, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const [file, type] = line.trim().split(/\s+/);
    const v = CLASSES[type].safe_deserialize(fs.readFileSync(file), LIMIT).decrypt(ck);
    out.push(typeof v === 'boolean' ? (v ? '1' : '0') : BigInt(v).toString());
  }
  process.stdout.write(out.join('\n') + '\n');
} else {
  process.stderr.write(`unknown command ${cmd}\n`);
  process.exit(2);
}
