#!/usr/bin/env node
// Produces the node-tfhe@1.7.0 fixtures used by tests/serialize_test.cpp:
//   tfhers_client_key_seed42.bin  high_level_api::ClientKey, TfheConfigBuilder.default(),
//                                 TfheClientKey.generate_with_seed(config, 42) (deterministic:
//                                 rerunning reproduces it byte for byte)
//   tfhers_fhebool_true.bin       FheBool.encrypt_with_client_key(true, key)
//   tfhers_fheuint2_2.bin         FheUint2.encrypt_with_client_key(2, key)
// The ciphertexts use fresh randomness: rerunning changes their bytes (not their values).
//
// Rerun (from the repository root, after `npm ci --prefix tools`):
//   node tests/data/make_fixtures.js            # writes into tests/data/
//   node tests/data/make_fixtures.js OUT_DIR    # writes elsewhere
'use strict';
const fs = require('fs');
const path = require('path');
const T = require(path.join(__dirname, '..', '..', 'tools', 'node_modules', 'node-tfhe'));

const out = process.argv[2] || __dirname;
const LIMIT = 1n << 30n;

const config = T.TfheConfigBuilder.default().build();
const ck = T.TfheClientKey.generate_with_seed(config, 42n);
const write = (name, bytes) => {
  fs.writeFileSync(path.join(out, name), bytes);
  console.log(`${name}: ${bytes.length} bytes`);
};
write('tfhers_client_key_seed42.bin', ck.safe_serialize(LIMIT));
write('tfhers_fhebool_true.bin', T.FheBool.encrypt_with_client_key(true, ck).safe_serialize(LIMIT));
write('tfhers_fheuint2_2.bin', T.FheUint2.encrypt_with_client_key(2, ck).safe_serialize(LIMIT));
