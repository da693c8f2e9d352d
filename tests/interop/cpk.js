#!/usr/bin/env node
// node-tfhe@1.7.0 side of the CompactPublicKey interop test (tests/tfhers_cpk_interop_test.cpp):
//
//   cpk.js TOOLS_DIR OUT_DIR   writes, as safe_serialize blobs:
//     OUT_DIR/cpk_fhevm.bin     TfheCompactPublicKey of a ClientKey made from a fixed seed with
//                               the default compute parameters plus the dedicated FHEVM PKE
//                               parameters V1_7_PARAM_PKE_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128
//                               (dimension 2048, TUniform(17), RequiresCasting, ZK V2)
//     OUT_DIR/cpk_default.bin   the same for TfheConfigBuilder.default() (no dedicated PKE
//                               parameters: the key uses the compute parameters, NoCasting)
//
// The client key is seeded, but TfheCompactPublicKey.new draws fresh randomness for the key's
// mask and noise, so the bytes differ from run to run (the layout does not).
'use strict';
const fs = require('fs');
const path = require('path');

const LIMIT = 1n << 30n;
const SEED = 20240607n;

const [toolsDir, outDir] = process.argv.slice(2);
if (!toolsDir || !outDir) {
  process.stderr.write('usage: cpk.js TOOLS_DIR OUT_DIR\n');
  process.exit(2);
}
const T = require(path.join(path.resolve(toolsDir), 'node_modules', 'node-tfhe'));

function cpkBytes(config) {
  const ck = T.TfheClientKey.generate_with_seed(config, SEED);
  return T.TfheCompactPublicKey.new(ck).safe_serialize(LIMIT);
}

const pke = new T.ShortintCompactPublicKeyEncryptionParameters(
    T.ShortintCompactPublicKeyEncryptionParametersName
        .V1_7_PARAM_PKE_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128);
const fhevm = T.TfheConfigBuilder.default().use_dedicated_compact_public_key_parameters(pke).build();
fs.writeFileSync(path.join(outDir, 'cpk_fhevm.bin'), cpkBytes(fhevm));
fs.writeFileSync(path.join(outDir, 'cpk_default.bin'),
                 cpkBytes(T.TfheConfigBuilder.default().build()));
