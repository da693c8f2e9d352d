#!/usr/bin/env node
// Produces the node-tfhe@1.7.0 fixtures used by tests/cpk_test.cpp (TfhersCpk.*):
//   cpk_fhevm.bin         high_level_api::CompactPublicKey of TfheClientKey.generate_with_seed(77)
//                         with TfheConfigBuilder.default() plus the dedicated PKE parameters
//                         V1_7_PARAM_PKE_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128 (n = 2048,
//                         TUniform(17); the CPK encryption code is the same in TFHE-rs 1.6.3)
//   cpk_list_seeded.bin   high_level_api::CompactCiphertextList: builder(cpk).push_u8(0xB4),
//                         push_u16(0x1234), push_boolean(true), build_packed_seeded(seed) with
//                         seed[i] = 7 i + 1 (32 bytes): 13 blocks -> 7 packed LWEs, one bin
// The key draws fresh randomness (TfheCompactPublicKey.new), so rerunning changes both files;
// the list is a deterministic function of the key and the seed.
//
// Rerun (from the repository root, after `npm ci --prefix tools`):
//   node tests/data/make_cpk_fixtures.js [OUT_DIR]
'use strict';
const fs = require('fs');
const path = require('path');
const T = require(path.join(__dirname, '..', '..', 'tools', 'node_modules', 'node-tfhe'));

const out = process.argv[2] || __dirname;
const LIMIT = 1n << 30n;

const pke = new T.ShortintCompactPublicKeyEncryptionParameters(
    T.ShortintCompactPublicKeyEncryptionParametersName
        .V1_7_PARAM_PKE_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128);
const config =
    T.TfheConfigBuilder.default().use_dedicated_compact_public_key_parameters(pke).build();
const ck = T.TfheClientKey.generate_with_seed(config, 77n);
const pk = T.TfheCompactPublicKey.new(ck);
const seed = new Uint8Array(32);
for (let i = 0; i < 32; ++i) seed[i] = 7 * i + 1;
const b = T.CompactCiphertextList.builder(pk);
b.push_u8(0xB4);
b.push_u16(0x1234);
b.push_boolean(true);
const write = (name, bytes) => {
  fs.writeFileSync(path.join(out, name), bytes);
  console.log(`${name}: ${bytes.length} bytes`);
};
write('cpk_fhevm.bin', pk.safe_serialize(LIMIT));
write('cpk_list_seeded.bin', b.build_packed_seeded(seed).safe_serialize(LIMIT));
