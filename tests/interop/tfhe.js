#!/usr/bin/env node
// node-tfhe@1.7.0 side of the interop scenario (tests/interop/run.sh): the TFHE-rs reference
// client, compiled to WebAssembly. Subcommands (files are safe_serialize blobs):
//
//   tfhe.js TOOLS_DIR keygen DIR       ClientKey (TfheConfigBuilder.default(), random seed) in
//                                      DIR/ck.bin, plus DIR/<type>_<value>.bin for the values of
//                                      VALUES below and DIR/expected.txt ("file type value" lines)
//   tfhe.js TOOLS_DIR encrypt CK TYPE VALUE OUT
//   tfhe.js TOOLS_DIR decrypt CK TYPE FILE    prints true/false or the decimal value
//
// TOOLS_DIR is the folder holding node_modules/node-tfhe. TYPE: bool, uint2 .. uint256.
'use strict';
const fs = require('fs');
const path = require('path');

const LIMIT = 1n << 30n;
const VALUES = {
  bool: [true, false],
  uint2: [0, 1, 2, 3],
  uint8: [0, 1, 77, 200, 255],
};

function die(msg) {
  process.stderr.write(`tfhe.js: ${msg}\n`);
  process.exit(1);
}

const [toolsDir, cmd, ...args] = process.argv.slice(2);
if (!toolsDir || !cmd) die('usage: tfhe.js TOOLS_DIR keygen|encrypt|decrypt ...');
const T = require(path.join(path.resolve(toolsDir), 'node_modules', 'node-tfhe'));

// The node-tfhe class of a CLI type name, and how values are passed to it.
function typeInfo(type) {
  if (type === 'bool') return { cls: T.FheBool, bits: 1 };
  const m = /^uint(\d+)$/.exec(type);
  if (!m || !T[`FheUint${m[1]}`]) die(`unknown type ${type}`);
  return { cls: T[`FheUint${m[1]}`], bits: Number(m[1]) };
}

function parseValue(type, s) {
  if (type === 'bool') {
    if (s === 'true' || s === '1') return true;
    if (s === 'false' || s === '0') return false;
    die(`bad bool value ${s}`);
  }
  const { bits } = typeInfo(type);
  const v = BigInt(s);
  return bits >= 64 ? v : Number(v);
}

function encrypt(ck, type, value) {
  return typeInfo(type).cls.encrypt_with_client_key(value, ck).safe_serialize(LIMIT);
}

function decrypt(ck, type, bytes) {
  const v = typeInfo(type).cls.safe_deserialize(bytes, LIMIT).decrypt(ck);
  return typeof v === 'boolean' ? String(v) : BigInt(v).toString();
}

function loadKey(file) {
  return T.TfheClientKey.safe_deserialize(fs.readFileSync(file), LIMIT);
}

switch (cmd) {
  case 'keygen': {
    const [dir] = args;
    if (!dir) die('keygen DIR');
    const ck = T.TfheClientKey.generate(T.TfheConfigBuilder.default().build());
    fs.writeFileSync(path.join(dir, 'ck.bin'), ck.safe_serialize(LIMIT));
    const lines = [];
    for (const [type, values] of Object.entries(VALUES)) {
      for (const v of values) {
        const name = `${type}_${v}.bin`;
        fs.writeFileSync(path.join(dir, name), encrypt(ck, type, v));
        lines.push(`${name} ${type} ${v}`);
      }
    }
    fs.writeFileSync(path.join(dir, 'expected.txt'), lines.join('\n') + '\n');
    break;
  }
  case 'encrypt': {
    const [ckFile, type, value, out] = args;
    if (!out) die('encrypt CK TYPE VALUE OUT');
    fs.writeFileSync(out, encrypt(loadKey(ckFile), type, parseValue(type, value)));
    break;
  }
  case 'decrypt': {
    const [ckFile, type, file] = args;
    if (!file) die('decrypt CK TYPE FILE');
    process.stdout.write(decrypt(loadKey(ckFile), type, fs.readFileSync(file)) + '\n');
    break;
  }
  default:
    die(`unknown command ${cmd}`);
}
