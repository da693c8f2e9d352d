#!/usr/bin/env node
// Writes the seed corpus of the fuzz targets (valid encodings, so the fuzzer starts from deep
// inside the decoders) with ethers@6. Deterministic. Rerun from the repository root:
//   node fuzz/make_corpus.cjs
// The first byte of an abi seed selects the parameter list in abi_fuzz.cpp's kDecls (same order
// here); 0xfe is an event log, 0xff a declaration string.
'use strict';
const fs = require('fs');
const path = require('path');
const ethers = require(path.join(__dirname, '..', 'tools', 'node_modules', 'ethers'));

const dir = (t) => path.join(__dirname, 'corpus', t);
const write = (t, name, hex) => fs.writeFileSync(path.join(dir(t), name), ethers.getBytes(hex));
const pattern = (n, m = 251) => ethers.hexlify(Uint8Array.from({length: n}, (_, i) => i % m));
const A1 = '0x2c7536E3605D9C16a7a3D7b1898e529396a65c23';
const A2 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const H1 = ethers.keccak256('0x01');
const H2 = ethers.keccak256('0x02');

// RLP: items of every header form, nested lists, a signed EIP-1559 transaction.
const rlp = {
  'byte': '0x05', 'empty_string': '0x', 'short_string': pattern(20), 'long_string': pattern(300),
  'empty_list': [], 'nested': [[], [[]], [[], [[]]]], 'mixed': ['0x', '0x00', [pattern(60), ['0x7f']]],
  'long_list': Array.from({length: 20}, (_, i) => pattern(i)),
};
for (const [name, item] of Object.entries(rlp)) write('rlp', name, ethers.encodeRlp(item));
(async () => {
  const wallet = new ethers.Wallet('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
  const raw = await wallet.signTransaction(ethers.Transaction.from({
    type: 2, chainId: 1, nonce: 3, maxPriorityFeePerGas: 1n, maxFeePerGas: 2n, gasLimit: 21000,
    to: A1, value: 5n, data: '0x1234', accessList: [{address: A2, storageKeys: [H1]}]}));
  write('rlp', 'eip1559_tx', raw);

  // ABI: one valid encoding per parameter list of abi_fuzz.cpp.
  const coder = ethers.AbiCoder.defaultAbiCoder();
  const cases = [
    [['address', 'bytes32', 'bytes32', 'bytes1', 'bytes32'], [A1, H1, H2, '0x01', H1]],
    [['bytes32', 'address', 'bytes', 'uint8', 'bytes32'], [H1, A2, pattern(100), 5, H2]],
    [['uint256', 'bytes32[]', 'bytes', 'bytes'], [17, [H1, H2], pattern(65), '0x00']],
    [['address', 'address', 'bytes', 'bytes'], [A1, A2, pattern(300), '0x']],
    [['uint256', 'string[]', '(uint8,bytes)[]'], [77, ['https://a', 'b'], [[0, pattern(32)], [1, '0x05']]]],
    [['bytes[]', 'bytes32[]', 'address[]'], [['0x', '0x01', pattern(40)], [H1], [A1, A2]]],
    [['uint256[][]', 'string[2]', '(uint256,bytes)[2]'], [[[1, 2], [], [3]], ['x', 'y'], [[1, '0xaa'], [2, pattern(33)]]]],
    [['((uint8,bytes)[],string[])[]'], [[[[[0, '0x01'], [3, '0x']], ['u1', 'u2']]]]],
    [['int8', 'int256', 'uint64', 'bool', 'bytes16', 'address'], [-1, -5, 7, true, pattern(16), A2]],
    [['bytes[2][]'], [[['0x01', '0x0203'], ['0x', pattern(70)]]]],
  ];
  cases.forEach(([types, values], i) => {
    const tag = '0x' + i.toString(16).padStart(2, '0');
    write('abi', `decl${i}`, ethers.concat([tag, coder.encode(types, values)]));
  });
  const log = coder.encode(['address', 'address', 'bytes', 'bytes'], [A1, A2, pattern(200), '0x00']);
  write('abi', 'event_verify_proof_request',
        ethers.concat(['0xfe', ethers.toBeHex(9, 32), ethers.toBeHex(12345, 32), log]));
  write('abi', 'declaration', ethers.concat(['0xff', ethers.toUtf8Bytes(
      'event ActivateKey(uint256 keyId, string[] kmsNodeStorageUrls, (uint8,bytes)[] keyDigests)')]));
})();
