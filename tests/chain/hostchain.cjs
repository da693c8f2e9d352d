#!/usr/bin/env node
// The host chain of the tests: the FHEVM host contracts (npm @fhevm/host-contracts@0.10.0) and our
// test dApps (contracts/*.sol, on @fhevm/solidity@0.13.2) on a running anvil, and a scenario of
// real transactions whose FHEVMExecutor / ACL events the C++ host-listener ingests.
//
//   hostchain.cjs compile --cache DIR
//       compile contracts/*.sol with solc-js (cached in DIR, keyed by a hash of every source)
//   hostchain.cjs deploy --rpc URL --cache DIR
//       host contracts at their hard-coded addresses (anvil_setCode + storage + initializers,
//       reference/npm-anchors.md §4.2) and our dApps; prints addresses. The host contracts are
//       compiled from the package's Solidity sources (with @openzeppelin 5.1.0, cached in DIR like
//       ours, §4.1) and compared with the shipped artifacts (stderr and `hostBytecode`).
//   hostchain.cjs deploy-and-run --rpc URL --cache DIR [--groups LIST] [--out FILE]
//       the above, then the scenario; prints one JSON document ("Output" below)
//
// Options: --tools DIR (default <repo>/tools, whose node_modules has solc, ethers and the @fhevm
// packages), --contracts DIR (default <repo>/contracts), --groups token,bool,u8,u16,u32,u64,u128,
// u256,addr,rand (default: all), --out FILE (write the JSON there instead of stdout), --pretty.
// Progress and timings go to stderr. Exit status 0 when every check passed, 1 when a check
// failed (the JSON is still written), 2 on usage errors or failures before any output.
//
// Output (deploy-and-run): { schema, chainId, accounts, contracts, signers, hostSetup,
//   hostBytecode: { compiledFromSource, bytecodeMatchesArtifacts: { <contract>: bool } },
//   transactions: [{ label, function, args, from, to, hash, blockNumber, blockHash, status, gasUsed,
//                    events: [host events: { contract, name, address, logIndex, topics, data, args }],
//                    appEvents: [our dApps' events, same shape] }],
//   handles: { <handle>: { type, typeName, op, tx, logIndex, value | null, valueHex, unknown?,
//                          allowedTo: [accounts], publicDecrypt, allowed, labels } },
//   allowedHandles: [...], token: { balances }, checks, unsupported, eventCounts, timings, ok }
// Values are decimal strings (bools "0"/"1"); handles, bytes and hashes are 0x lower-case hex;
// addresses are EIP-55. `value` is null exactly when `unknown` says why (random values and what
// depends on them, shifts by >= the bit width, operands produced outside the scenario).
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const REPO = path.resolve(__dirname, '..', '..');
const CACHE_SCHEMA = 'hostchain-solc-cache/1';
const OUTPUT_SCHEMA = 'fhevm-cpp-hostchain/1';

// ------------------------------------------------------------------------------------------------
// Facts about the host contracts (reference/npm-anchors.md §3.1, §4.2)

// Addresses hard-coded (PUSH20) in the shipped local-network build; KMSVerifier's is a convention.
const HOST_ADDRESSES = {
  ACL: '0x50157CFfD6bBFA2DECe204a89ec419c23ef5755D',
  FHEVMExecutor: '0xe3a9105a3a932253A70F126eb1E3b589C643dD24',
  InputVerifier: '0x36772142b74871f255CbD7A3e89B401d3e45825f',
  HCULimit: '0x233ff88A48c172d29F675403e6A8e302b0F032D9',
  PauserSet: '0x34e3eD8472e409dbF8FDf933cA996DC75e4Be126',
  KMSVerifier: '0x901F8942346f7AB3a01F6D7613119Bca447Bb030',
};
const HOST_ARTIFACTS = {
  ACL: 'ACL.sol/ACL.json',
  FHEVMExecutor: 'FHEVMExecutor.sol/FHEVMExecutor.json',
  InputVerifier: 'InputVerifier.sol/InputVerifier.json',
  HCULimit: 'HCULimit.sol/HCULimit.json',
  PauserSet: 'immutable/PauserSet.sol/PauserSet.json',
  KMSVerifier: 'KMSVerifier.sol/KMSVerifier.json',
};
// ERC-7201 slots of OpenZeppelin's Ownable and Initializable storage.
const OWNABLE_SLOT = '0x9016d09d72d40fdae2fd8ceac6b6234c7706214fd39c1cd1e609a0528c199300';
const INITIALIZABLE_SLOT = '0xf0c57e16840df040f15088dc2f81fe391c3923bec73e23a9662efc9c229c6a00';
// Gateway-side EIP-712 domains the verifiers are initialized with (gateway chain 10901).
const GATEWAY_CHAIN_ID = 10901;
const INPUT_VERIFICATION_ADDRESS = '0x812b06e1CDCE800494b79fFE4f925A504a9A9810';
const DECRYPTION_ADDRESS = '0x5ffdaAB0373E62E2ea2944776209aEf29E631A64';
// Our own deterministic test signers (private keys = keccak256 of these strings).
const SIGNER_SEEDS = {
  coprocessor: 'fhevm-cpp test coprocessor signer 0',
  kms: 'fhevm-cpp test kms signer 0',
};

const FHE_TYPES = {
  0: ['Bool', 1], 1: ['Uint4', 4], 2: ['Uint8', 8], 3: ['Uint16', 16], 4: ['Uint32', 32],
  5: ['Uint64', 64], 6: ['Uint128', 128], 7: ['Uint160', 160], 8: ['Uint256', 256],
};

const ALL_GROUPS = ['token', 'bool', 'u8', 'u16', 'u32', 'u64', 'u128', 'u256', 'addr', 'rand'];

// ------------------------------------------------------------------------------------------------
// Small utilities

function log(msg) {
  process.stderr.write(`[hostchain] ${msg}\n`);
}

function fail(msg) {
  const e = new Error(msg);
  e.hostchain = true;
  throw e;
}

function ms(t0) {
  return Math.round(Number(process.hrtime.bigint() - t0) / 1e6);
}

function loadTools(toolsDir) {
  const nm = path.join(toolsDir, 'node_modules');
  if (!fs.existsSync(path.join(nm, 'ethers'))) fail(`no ethers under ${nm} (run npm ci in tools/)`);
  return { nm, ethers: require(path.join(nm, 'ethers')) };
}

function writeFileAtomic(file, text) {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

// ------------------------------------------------------------------------------------------------
// Compilation (solc-js standard JSON), cached by a hash of the whole import closure

const SOLC_SETTINGS = {
  optimizer: { enabled: true, runs: 800 },
  evmVersion: 'cancun',
  metadata: { bytecodeHash: 'none' },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
};

function stripComments(src) {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}

// Source unit names: ours are "contracts/<file>", packages are their node_modules paths.
function makeResolver(contractsDir, nm) {
  return (unit) => {
    const file = unit.startsWith('contracts/')
      ? path.join(contractsDir, unit.slice('contracts/'.length))
      : path.join(nm, unit);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  };
}

function importClosure(roots, resolve) {
  const sources = {};
  const todo = [...roots];
  while (todo.length) {
    const unit = todo.pop();
    if (unit in sources) continue;
    const content = resolve(unit);
    if (content === null) fail(`cannot resolve Solidity import ${unit}`);
    sources[unit] = content;
    const re = /\bimport\s+(?:[^'";]*?\bfrom\s+)?["']([^"']+)["']/g;
    for (const m of stripComments(content).matchAll(re)) {
      const imp = m[1];
      todo.push(imp.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(unit), imp)) : imp);
    }
  }
  return sources;
}

// Compile `roots` and their import closure (resolved by `resolve`) with solc-js, cached in
// opts.cache under `<prefix>-<key>.json`, the key hashing solc's version, the settings and every
// source of the closure. `pick(unit, name, c)` selects which compiled contracts are kept.
function compileCached(opts, { prefix, roots, resolve, settings, pick, warnUnder }) {
  const { nm } = loadTools(opts.tools);
  const sources = importClosure(roots, resolve);
  const solcVersion = JSON.parse(fs.readFileSync(path.join(nm, 'solc', 'package.json'), 'utf8')).version;

  const h = crypto.createHash('sha256');
  h.update(JSON.stringify([CACHE_SCHEMA, solcVersion, settings, roots]));
  for (const unit of Object.keys(sources).sort()) h.update(`\0${unit}\0${sources[unit]}`);
  const key = h.digest('hex').slice(0, 24);

  fs.mkdirSync(opts.cache, { recursive: true });
  const cacheFile = path.join(opts.cache, `${prefix}-${key}.json`);
  const t0 = process.hrtime.bigint();
  if (fs.existsSync(cacheFile)) {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    const took = ms(t0);
    log(`compile ${prefix}: cache hit ${path.basename(cacheFile)} (${took} ms)`);
    return { contracts: cached.contracts, key, cached: true, ms: took, sourceCount: Object.keys(sources).length };
  }

  log(`compile ${prefix}: ${Object.keys(sources).length} sources with solc-js ${solcVersion} (cache miss, ${key})`);
  const solc = require(path.join(nm, 'solc'));
  const input = { language: 'Solidity', sources: {}, settings };
  for (const [unit, content] of Object.entries(sources)) input.sources[unit] = { content };
  const findImports = (unit) => {
    const content = resolve(unit);
    return content === null ? { error: `File not found: ${unit}` } : { contents: content };
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const errors = (out.errors || []).filter((e) => e.severity === 'error');
  const warnings = (out.errors || []).filter((e) => e.severity !== 'error');
  for (const w of warnings) {
    if (warnUnder && w.sourceLocation && w.sourceLocation.file.startsWith(warnUnder)) log(`solc ${w.severity}: ${w.formattedMessage.trim()}`);
  }
  if (errors.length) fail(`solc errors:\n${errors.map((e) => e.formattedMessage).join('\n')}`);

  const contracts = {};
  for (const unit of roots) {
    for (const [name, c] of Object.entries(out.contracts[unit] || {})) {
      if (!c.evm.bytecode.object) continue; // abstract contracts and interfaces
      if (pick && !pick(unit, name, c)) continue;
      contracts[name] = { source: unit, abi: c.abi, bytecode: `0x${c.evm.bytecode.object}`, deployedBytecode: `0x${c.evm.deployedBytecode.object}` };
    }
  }
  const took = ms(t0);
  writeFileAtomic(cacheFile, JSON.stringify({ schema: CACHE_SCHEMA, key, solc: solcVersion, compileMs: took, contracts }));
  log(`compile ${prefix}: done in ${took} ms -> ${cacheFile}`);
  return { contracts, key, cached: false, ms: took, sourceCount: Object.keys(sources).length };
}

// Our test dApps: contracts/*.sol.
function compile(opts) {
  const { nm } = loadTools(opts.tools);
  const contractsDir = opts.contracts;
  const roots = fs.readdirSync(contractsDir).filter((f) => f.endsWith('.sol')).sort().map((f) => `contracts/${f}`);
  if (!roots.length) fail(`no .sol files in ${contractsDir}`);
  return compileCached(opts, {
    prefix: 'contracts', roots, resolve: makeResolver(contractsDir, nm), settings: SOLC_SETTINGS, warnUnder: 'contracts/',
  });
}

// The generated file the host contracts import for each other's addresses (the package does not
// ship it; its deploy tasks write it). solc requires EIP-55 checksummed address literals.
function hostAddressesSol(ethers) {
  const line = (id, name) => `address constant ${id} = ${ethers.getAddress(HOST_ADDRESSES[name])};\n`;
  return '// SPDX-License-Identifier: BSD-3-Clause-Clear\npragma solidity ^0.8.24;\n\n'
    + line('aclAdd', 'ACL') + line('fhevmExecutorAdd', 'FHEVMExecutor') + line('kmsVerifierAdd', 'KMSVerifier')
    + line('inputVerifierAdd', 'InputVerifier') + line('hcuLimitAdd', 'HCULimit') + line('pauserSetAdd', 'PauserSet');
}

// The host contracts, from the Solidity sources of @fhevm/host-contracts (with @openzeppelin
// 5.1.0), built the way the shipped artifacts were (reference/npm-anchors.md §3.1, §4.1): source
// unit names as in the package's hardhat project ("contracts/…", "addresses/…", "@openzeppelin/…").
function compileHost(opts) {
  const { nm, ethers } = loadTools(opts.tools);
  const pkg = path.join(nm, '@fhevm', 'host-contracts');
  for (const dep of ['@openzeppelin/contracts', '@openzeppelin/contracts-upgradeable']) {
    if (!fs.existsSync(path.join(nm, dep, 'package.json'))) fail(`no ${dep} under ${nm} (run npm ci in tools/)`);
  }
  const addressesUnit = 'addresses/FHEVMHostAddresses.sol';
  const addressesSrc = hostAddressesSol(ethers);
  const resolve = (unit) => {
    if (unit === addressesUnit) return addressesSrc;
    const file = unit.startsWith('contracts/') ? path.join(pkg, unit) : path.join(nm, unit);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  };
  const wanted = new Map(Object.entries(HOST_ARTIFACTS).map(([name, rel]) => [`contracts/${path.posix.dirname(rel)}`, name]));
  const roots = [...wanted.keys()].sort();
  const settings = { ...SOLC_SETTINGS, outputSelection: Object.fromEntries(roots.map((u) => [u, { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] }])) };
  const r = compileCached(opts, { prefix: 'host', roots, resolve, settings, pick: (unit, name) => wanted.get(unit) === name });
  for (const name of Object.keys(HOST_ARTIFACTS)) if (!r.contracts[name]) fail(`host compile produced no ${name}`);
  return r;
}

// The host contracts to deploy: compiled from source, each compared with the shipped artifact.
function loadHostContracts(opts, nm) {
  const artifacts = loadHostArtifacts(nm);
  const comp = compileHost(opts);
  const host = {};
  const matches = {};
  for (const name of Object.keys(HOST_ARTIFACTS)) {
    const c = comp.contracts[name];
    matches[name] = c.deployedBytecode.toLowerCase() === artifacts[name].deployedBytecode.toLowerCase();
    host[name] = { abi: c.abi, deployedBytecode: c.deployedBytecode };
  }
  const differ = Object.keys(matches).filter((n) => !matches[n]);
  log(differ.length
    ? `host bytecode: compiled differs from the shipped artifacts for ${differ.join(', ')} (deploying the compiled one)`
    : `host bytecode: all ${Object.keys(matches).length} compiled contracts are identical to the shipped artifacts`);
  checkExecutorAddresses(host);
  return { host, matches, comp };
}

function checkExecutorAddresses(host) {
  // The executor must reach the ACL/HCULimit/InputVerifier at the addresses we deploy them at.
  const code = host.FHEVMExecutor.deployedBytecode.toLowerCase();
  for (const name of ['ACL', 'HCULimit', 'InputVerifier']) {
    if (!code.includes(HOST_ADDRESSES[name].slice(2).toLowerCase())) fail(`FHEVMExecutor bytecode does not embed ${name} at ${HOST_ADDRESSES[name]}`);
  }
}

function loadHostArtifacts(nm) {
  const dir = path.join(nm, '@fhevm', 'host-contracts', 'artifacts', 'contracts');
  const out = {};
  for (const [name, rel] of Object.entries(HOST_ARTIFACTS)) {
    const a = JSON.parse(fs.readFileSync(path.join(dir, rel), 'utf8'));
    out[name] = { abi: a.abi, deployedBytecode: a.deployedBytecode };
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// JSON-RPC

class Rpc {
  constructor(url) {
    this.url = url;
    this.id = 0;
  }

  async call(method, params = []) {
    const body = JSON.stringify({ jsonrpc: '2.0', id: ++this.id, method, params });
    let res;
    try {
      res = await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    } catch (e) {
      fail(`RPC ${method} to ${this.url}: ${e.cause ? e.cause.message : e.message}`);
    }
    const j = await res.json();
    if (j.error) {
      const e = new Error(`RPC ${method}: ${j.error.message}`);
      e.rpcError = j.error;
      throw e;
    }
    return j.result;
  }

  async receipt(hash) {
    for (let i = 0; ; i++) {
      const r = await this.call('eth_getTransactionReceipt', [hash]);
      if (r) return r;
      if (i > 6000) fail(`no receipt for ${hash} after 60 s (is anvil mining?)`);
      await new Promise((ok) => setTimeout(ok, 10));
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Deployment

class Chain {
  constructor(rpc, ethers, host, ours) {
    this.rpc = rpc;
    this.ethers = ethers;
    this.ifaces = {};
    for (const [name, a] of Object.entries(host)) this.ifaces[name] = new ethers.Interface(a.abi);
    for (const [name, c] of Object.entries(ours)) this.ifaces[name] = new ethers.Interface(c.abi);
    this.host = host;
    this.ours = ours;
    this.addresses = { ...HOST_ADDRESSES };
    this.byAddress = {};
    for (const [name, a] of Object.entries(HOST_ADDRESSES)) this.byAddress[a.toLowerCase()] = name;
  }

  register(name, address) {
    this.addresses[name] = this.ethers.getAddress(address);
    this.byAddress[address.toLowerCase()] = name;
  }

  async send(from, to, data, label) {
    let hash;
    try {
      hash = await this.rpc.call('eth_sendTransaction', [{ from, to: to || undefined, data }]);
    } catch (e) {
      fail(`${label}: ${e.message}${e.rpcError && e.rpcError.data ? ` ${JSON.stringify(e.rpcError.data)}` : ''}`);
    }
    const r = await this.rpc.receipt(hash);
    if (r.status !== '0x1') fail(`${label}: transaction ${hash} reverted`);
    return r;
  }

  async callFn(contract, fn, args, from, label) {
    const data = this.ifaces[contract].encodeFunctionData(fn, args);
    return this.send(from, this.addresses[contract], data, label || `${contract}.${fn}`);
  }

  async view(contract, fn, args = []) {
    const iface = this.ifaces[contract];
    const data = iface.encodeFunctionData(fn, args);
    const ret = await this.rpc.call('eth_call', [{ to: this.addresses[contract], data }, 'latest']);
    return iface.decodeFunctionResult(fn, ret);
  }

  async deployHost(deployer, signers) {
    const pad32 = (hex) => this.ethers.zeroPadValue(hex, 32);
    for (const [name, a] of Object.entries(this.host)) {
      await this.rpc.call('anvil_setCode', [HOST_ADDRESSES[name], a.deployedBytecode]);
    }
    // ACL owner (every host contract is ACLOwnable), then the "initialized from the empty proxy"
    // marker that the verifiers' initializers require.
    await this.rpc.call('anvil_setStorageAt', [HOST_ADDRESSES.ACL, OWNABLE_SLOT, pad32(deployer)]);
    const setup = [];
    for (const [name, source, signer] of [
      ['InputVerifier', INPUT_VERIFICATION_ADDRESS, signers.coprocessor.address],
      ['KMSVerifier', DECRYPTION_ADDRESS, signers.kms.address],
    ]) {
      await this.rpc.call('anvil_setStorageAt', [HOST_ADDRESSES[name], INITIALIZABLE_SLOT, pad32('0x01')]);
      const r = await this.callFn(name, 'initializeFromEmptyProxy', [source, GATEWAY_CHAIN_ID, [signer], 1], deployer);
      setup.push({ label: `${name}.initializeFromEmptyProxy`, hash: r.transactionHash, blockNumber: Number(r.blockNumber) });
    }
    // Sanity: the contracts answer as deployed.
    const [aclOfExecutor] = await this.view('FHEVMExecutor', 'getACLAddress');
    if (aclOfExecutor !== HOST_ADDRESSES.ACL) fail(`FHEVMExecutor.getACLAddress() = ${aclOfExecutor}`);
    const [owner] = await this.view('ACL', 'owner');
    if (owner.toLowerCase() !== deployer.toLowerCase()) fail(`ACL.owner() = ${owner}, expected ${deployer}`);
    const [coprocSigners] = await this.view('InputVerifier', 'getCoprocessorSigners');
    if (coprocSigners.length !== 1 || coprocSigners[0] !== signers.coprocessor.address) fail('InputVerifier signers not set');
    return setup;
  }

  async deployOurs(name, args, from) {
    const c = this.ours[name];
    if (!c) fail(`contract ${name} not compiled`);
    const iface = this.ifaces[name];
    const data = this.ethers.concat([c.bytecode, iface.encodeDeploy(args)]);
    const r = await this.send(from, null, data, `deploy ${name}`);
    this.register(name, r.contractAddress);
    return r;
  }
}

function testSigners(ethers) {
  const out = {};
  for (const [role, seed] of Object.entries(SIGNER_SEEDS)) {
    const w = new ethers.Wallet(ethers.keccak256(ethers.toUtf8Bytes(seed)));
    out[role] = { address: w.address, privateKey: w.privateKey };
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Log decoding

function fmtValue(ethers, type, v) {
  if (type.endsWith('[]')) return Array.from(v, (x) => fmtValue(ethers, type.slice(0, -2), x));
  if (type === 'address') return ethers.getAddress(v);
  if (type === 'bool' || type === 'string') return v;
  if (type.startsWith('bytes')) return v.toLowerCase();
  const m = /^u?int(\d*)$/.exec(type);
  if (m) return Number(m[1] || 256) <= 32 ? Number(v) : v.toString();
  return String(v);
}

function decodeLog(chain, l) {
  const contract = chain.byAddress[l.address.toLowerCase()] || null;
  const out = { contract, name: null, address: chain.ethers.getAddress(l.address), logIndex: Number(l.logIndex), topics: l.topics, data: l.data };
  const iface = contract && chain.ifaces[contract];
  if (!iface) return out;
  let parsed = null;
  try {
    parsed = iface.parseLog({ topics: l.topics, data: l.data });
  } catch (e) {
    parsed = null;
  }
  if (!parsed) return out;
  out.name = parsed.name;
  out.args = {};
  parsed.fragment.inputs.forEach((inp, i) => {
    out.args[inp.name] = fmtValue(chain.ethers, inp.type, parsed.args[i]);
  });
  return out;
}

// ------------------------------------------------------------------------------------------------
// Plaintext evaluation of the executor events (reference/fhevm-coprocessor.md §6)

const typeOfHandle = (h) => parseInt(h.slice(2 + 2 * 30, 2 + 2 * 31), 16);
const bitsOf = (t) => BigInt((FHE_TYPES[t] || [null, 0])[1]);
const maskOf = (t) => (1n << bitsOf(t)) - 1n;

function rotl(v, n, bits) {
  if (n === 0n) return v;
  return ((v << n) | (v >> (bits - n))) & ((1n << bits) - 1n);
}

const BINARY = {
  FheAdd: (a, b, t) => (a + b) & maskOf(t),
  FheSub: (a, b, t) => (a - b) & maskOf(t),
  FheMul: (a, b, t) => (a * b) & maskOf(t),
  FheDiv: (a, b) => (b === 0n ? { unknown: 'division by zero' } : a / b),
  FheRem: (a, b) => (b === 0n ? { unknown: 'division by zero' } : a % b),
  FheBitAnd: (a, b) => a & b,
  FheBitOr: (a, b) => a | b,
  FheBitXor: (a, b) => a ^ b,
  FheShl: (a, b, t) => (b >= bitsOf(t) ? { unknown: 'shift by >= bit width (TFHE-rs version dependent)' } : (a << b) & maskOf(t)),
  FheShr: (a, b, t) => (b >= bitsOf(t) ? { unknown: 'shift by >= bit width (TFHE-rs version dependent)' } : a >> b),
  FheRotl: (a, b, t) => rotl(a, b % bitsOf(t), bitsOf(t)),
  FheRotr: (a, b, t) => rotl(a, (bitsOf(t) - (b % bitsOf(t))) % bitsOf(t), bitsOf(t)),
  FheEq: (a, b) => BigInt(a === b),
  FheNe: (a, b) => BigInt(a !== b),
  FheGe: (a, b) => BigInt(a >= b),
  FheGt: (a, b) => BigInt(a > b),
  FheLe: (a, b) => BigInt(a <= b),
  FheLt: (a, b) => BigInt(a < b),
  FheMin: (a, b) => (a < b ? a : b),
  FheMax: (a, b) => (a > b ? a : b),
};
const COMPARISONS = new Set(['FheEq', 'FheNe', 'FheGe', 'FheGt', 'FheLe', 'FheLt']);

class Evaluator {
  constructor() {
    this.handles = new Map(); // handle -> record
    this.errors = [];
  }

  operand(h) {
    const r = this.handles.get(h);
    if (!r) return { unknown: `operand ${h} not produced in the scenario` };
    if (r.value === null) return { unknown: `depends on ${r.op} result ${h} (${r.unknown})` };
    return { value: r.value };
  }

  // Scalars are big-endian words truncated to the operand width; a Bool scalar is "any byte != 0".
  static scalar(word, t) {
    const v = BigInt(word);
    return t === 0 ? BigInt(v !== 0n) : v & maskOf(t);
  }

  compute(ev) {
    const a = ev.args;
    switch (ev.name) {
      case 'TrivialEncrypt': {
        const pt = BigInt(a.pt);
        const t = a.toType;
        if (t === 0) return { value: BigInt((pt & 0xffn) !== 0n) }; // the engine reads the last byte
        return { value: pt & maskOf(t) };
      }
      case 'Cast': {
        const x = this.operand(a.ct);
        return x.unknown ? x : { value: a.toType === 0 ? BigInt(x.value !== 0n) : x.value & maskOf(a.toType) };
      }
      case 'FheNeg': {
        const x = this.operand(a.ct);
        return x.unknown ? x : { value: (-x.value) & maskOf(typeOfHandle(a.ct)) };
      }
      case 'FheNot': {
        const x = this.operand(a.ct);
        return x.unknown ? x : { value: x.value ^ maskOf(typeOfHandle(a.ct)) };
      }
      case 'FheIfThenElse': {
        const c = this.operand(a.control);
        if (c.unknown) return c;
        return this.operand(c.value !== 0n ? a.ifTrue : a.ifFalse);
      }
      case 'FheRand':
      case 'FheRandBounded':
        return { unknown: 'random' };
      case 'VerifyInput':
        return { unknown: 'encrypted input' };
      default: {
        const f = BINARY[ev.name];
        if (!f) return { unknown: `no plaintext semantics for ${ev.name}` };
        const t = typeOfHandle(a.lhs);
        const x = this.operand(a.lhs);
        if (x.unknown) return x;
        const scalar = a.scalarByte !== '0x00';
        const y = scalar ? { value: Evaluator.scalar(a.rhs, t) } : this.operand(a.rhs);
        if (y.unknown) return y;
        const r = f(x.value, y.value, t);
        return typeof r === 'bigint' ? { value: r } : r;
      }
    }
  }

  expectedType(ev) {
    const a = ev.args;
    if (COMPARISONS.has(ev.name)) return 0;
    if (ev.name in BINARY) return typeOfHandle(a.lhs);
    if (ev.name === 'FheNeg' || ev.name === 'FheNot') return typeOfHandle(a.ct);
    if (ev.name === 'FheIfThenElse') return typeOfHandle(a.ifTrue);
    if (ev.name === 'Cast' || ev.name === 'TrivialEncrypt') return a.toType;
    if (ev.name === 'FheRand' || ev.name === 'FheRandBounded') return a.randType;
    return null;
  }

  add(ev, tx) {
    const h = ev.args.result;
    if (!h) return;
    const t = typeOfHandle(h);
    const want = this.expectedType(ev);
    if (want !== null && want !== t) this.errors.push(`${ev.name} in ${tx}: result type ${t}, expected ${want}`);
    const r = this.compute(ev);
    const prev = this.handles.get(h);
    const value = r.unknown ? null : r.value;
    if (prev) {
      // Deterministic handles: the same computation again yields the same handle (and value).
      if (prev.value !== value) this.errors.push(`handle ${h} recomputed with a different value`);
      prev.recomputed = (prev.recomputed || 0) + 1;
      return;
    }
    const rec = { type: t, typeName: (FHE_TYPES[t] || ['?'])[0], op: ev.name, tx, logIndex: ev.logIndex, value };
    if (r.unknown) rec.unknown = r.unknown;
    rec.allowedTo = [];
    rec.publicDecrypt = false;
    rec.labels = [];
    this.handles.set(h, rec);
  }
}

// ------------------------------------------------------------------------------------------------
// The scenario

// Independent expectations for the OpsExerciser labels, from the operands (not from the events).
function refModular(p, bits, a, b, s, d) {
  const M = 1n << bits;
  const m = M - 1n;
  const rot = (v, n) => rotl(v, n % bits, bits);
  const t = a ^ s;
  return {
    [`${p}.add`]: (a + b) & m, [`${p}.add.s`]: (a + b) & m,
    [`${p}.sub`]: (a - b) & m, [`${p}.sub.s`]: (a - b) & m, [`${p}.sub.ls`]: (b - a) & m,
    [`${p}.mul`]: (a * b) & m, [`${p}.mul.s`]: (a * b) & m, [`${p}.mul.add.s`]: (a * b + 1n) & m,
    [`${p}.div.s`]: a / d, [`${p}.rem.s`]: a % d,
    [`${p}.min`]: a < b ? a : b, [`${p}.min.s`]: a < b ? a : b,
    [`${p}.max`]: a > b ? a : b, [`${p}.max.s`]: a > b ? a : b,
    [`${p}.neg`]: (M - a) & m, [`${p}.not`]: a ^ m,
    [`${p}.and`]: a & b, [`${p}.and.s`]: a & b, [`${p}.or`]: a | b, [`${p}.or.s`]: a | b,
    [`${p}.xor`]: a ^ b, [`${p}.xor.s`]: a ^ b,
    [`${p}.shl`]: (a << s) & m, [`${p}.shl.s`]: (a << s) & m, [`${p}.shr`]: a >> s, [`${p}.shr.s`]: a >> s,
    [`${p}.rotl`]: rot(a, s), [`${p}.rotl.s`]: rot(a, s),
    [`${p}.rotr`]: rot(a, bits - (s % bits)), [`${p}.rotr.s`]: rot(a, bits - (s % bits)),
    [`${p}.eq`]: BigInt(a === b), [`${p}.eq.s`]: 1n, [`${p}.ne`]: BigInt(a !== b), [`${p}.ne.s`]: BigInt(a !== b),
    [`${p}.ge`]: BigInt(a >= b), [`${p}.ge.s`]: BigInt(a >= b), [`${p}.gt`]: BigInt(a > b), [`${p}.gt.s`]: BigInt(a > b),
    [`${p}.le`]: BigInt(a <= b), [`${p}.le.s`]: BigInt(a <= b), [`${p}.lt`]: BigInt(a < b), [`${p}.lt.s`]: BigInt(a < b),
    [`${p}.xor.xz`]: t, [`${p}.le.ty`]: BigInt(t <= b), [`${p}.select`]: t <= b ? t : b,
    [`${p}.tobool`]: BigInt(a !== 0n),
  };
}

function opsPlan(accounts) {
  const U64A = (1n << 64n) - 59n;
  const U64B = 9876543210987654321n;
  const U128A = (1n << 128n) - 5n;
  const U128B = 0x0123456789abcdef0fedcba987654321n;
  const U256A = (1n << 255n) + 12345n;
  const U256B = 0xf0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f1n;
  const m = (bits) => (1n << BigInt(bits)) - 1n;
  const rotlN = (v, n, bits) => rotl(v, BigInt(n) % BigInt(bits), BigInt(bits));
  const plan = [];

  // bool
  {
    const a = 1n, b = 0n;
    plan.push({ group: 'bool', fn: 'boolOps', args: [true, false], expect: {
      'bool.and': a & b, 'bool.and.s': a & b, 'bool.or': a | b, 'bool.or.s': a | b, 'bool.xor': a ^ b, 'bool.xor.s': a ^ b,
      'bool.eq': BigInt(a === b), 'bool.eq.s': BigInt(a === b), 'bool.ne': BigInt(a !== b), 'bool.ne.s': BigInt(a !== b),
      'bool.not': 1n - a, 'bool.select': b ? 1n - a : a, 'bool.cast.u8': a, 'bool.cast.u64': b,
    } });
  }
  // uint8 and uint64: the full operator set, split in two transactions each
  for (const [p, bits, a, b, s, d] of [['u8', 8n, 200n, 77n, 3n, 7n], ['u64', 64n, U64A, U64B, 13n, 1000003n]]) {
    const ref = refModular(p, bits, a, b, s, d);
    ref[`${p}.cast.u16`] = a; ref[`${p}.cast.u256`] = b; ref[`${p}.tobool`] = BigInt(s !== 0n);
    ref[`${p}.cast.u8`] = a & 0xffn; ref[`${p}.cast.u128`] = b;
    if (p === 'u64') ref[`${p}.tobool`] = BigInt(a !== 0n);
    plan.push({ group: p, fn: `${p}Arith`, args: [a, b, d], expect: ref });
    plan.push({ group: p, fn: `${p}Logic`, args: [a, b, s], expect: ref });
  }
  // uint16, uint32: a smaller set
  {
    const a = 60000n, b = 1234n, s = 5n;
    plan.push({ group: 'u16', fn: 'u16Ops', args: [a, b, s], expect: {
      'u16.add': (a + b) & m(16), 'u16.mul.s': (a * b) & m(16), 'u16.shr.s': a >> s, 'u16.rotl': rotlN(a, s, 16),
      'u16.lt': BigInt(a < b), 'u16.select': a < b ? a : b, 'u16.cast.u32': a, 'u16.cast.u8': b & 0xffn,
    } });
  }
  {
    const a = 4000000000n, b = 123456789n, s = 13n;
    plan.push({ group: 'u32', fn: 'u32Ops', args: [a, b, s], expect: {
      'u32.sub': (a - b) & m(32), 'u32.mul': (a * b) & m(32), 'u32.div.s': a / b, 'u32.rotr.s': rotlN(a, 32n - s, 32),
      'u32.ge.s': BigInt(a >= b), 'u32.select': a >= b ? b : a, 'u32.cast.u64': a, 'u32.cast.u16': b & 0xffffn,
    } });
  }
  // uint128
  {
    const a = U128A, b = U128B, s = 77n, d = (1n << 64n) + 13n;
    const ref = refModular('u128', 128n, a, b, s, d);
    ref['u128.lt'] = BigInt(a < b); ref['u128.select'] = a < b ? a : b; ref['u128.cast.u64'] = a & m(64);
    plan.push({ group: 'u128', fn: 'u128Arith', args: [a, b, d], expect: ref });
    plan.push({ group: 'u128', fn: 'u128Logic', args: [a, b, s], expect: ref });
  }
  // uint256
  {
    const a = U256A, b = U256B, s = 100n, M = m(256);
    plan.push({ group: 'u256', fn: 'u256Ops', args: [a, b, s], expect: {
      'u256.and': a & b, 'u256.and.s': a & b, 'u256.or': a | b, 'u256.xor.s': a ^ b,
      'u256.shl.s': (a << s) & M, 'u256.shr': a >> s, 'u256.rotl.s': rotlN(a, s, 256), 'u256.rotr.s': rotlN(a, 256n - s, 256),
      'u256.eq': BigInt(a === b), 'u256.ne.s': BigInt(a !== b), 'u256.neg': ((1n << 256n) - a) & M, 'u256.not': b ^ M,
      'u256.select': a === b ? a : b, 'u256.cast.u64': a & m(64),
    } });
  }
  // eaddress
  {
    const a = BigInt(accounts.alice), b = BigInt(accounts.bob);
    plan.push({ group: 'addr', fn: 'addressOps', args: [accounts.alice, accounts.bob], expect: {
      'addr.eq': BigInt(a === b), 'addr.ne.s': 0n, 'addr.select': a !== b ? a : b,
    } });
  }
  plan.push({ group: 'rand', fn: 'randOps', args: [], expect: {}, random: true });
  return plan;
}

function hexOf(v) {
  return `0x${v.toString(16)}`;
}

async function runScenario(chain, accounts, groups) {
  const { ethers } = chain;
  const txs = [];
  const record = (label, fn, args, from, to, r) => {
    const events = [];
    const appEvents = [];
    for (const l of r.logs) {
      const ev = decodeLog(chain, l);
      (ev.contract === 'ACL' || ev.contract === 'FHEVMExecutor' ? events : appEvents).push(ev);
    }
    const tx = {
      label, function: fn, args: args.map((x) => (typeof x === 'bigint' ? x.toString() : x)),
      from, to, hash: r.transactionHash, blockNumber: Number(r.blockNumber), blockHash: r.blockHash,
      status: Number(r.status), gasUsed: Number(r.gasUsed), events, appEvents,
    };
    txs.push(tx);
    return tx;
  };
  const call = async (label, contract, fn, args, from) => {
    const r = await chain.callFn(contract, fn, args, from, label);
    return record(label, fn, args, from, chain.addresses[contract], r);
  };

  const checks = [];
  const labelExpect = new Map(); // label -> expected bigint
  const tokenExpect = {};

  if (groups.has('token')) {
    const { deployer, alice, bob, carol } = accounts;
    await call('mint 1000 to alice', 'ConfidentialERC20', 'mint', [alice, 1000n], deployer);
    await call('mint 50 to bob', 'ConfidentialERC20', 'mint', [bob, 50n], deployer);
    await call('alice -> bob 300', 'ConfidentialERC20', 'transfer(address,uint64)', [bob, 300n], alice);
    await call('bob -> alice 1000 (insufficient: moves nothing)', 'ConfidentialERC20', 'transfer(address,uint64)', [alice, 1000n], bob);
    await call('alice -> carol 700 (her whole balance)', 'ConfidentialERC20', 'transfer(address,uint64)', [carol, 700n], alice);
    Object.assign(tokenExpect, { alice: 0n, bob: 350n, carol: 700n, totalSupply: 1050n });
  }

  for (const step of opsPlan(accounts)) {
    if (!groups.has(step.group)) continue;
    await call(`OpsExerciser.${step.fn}`, 'OpsExerciser', step.fn, step.args, accounts.deployer);
    for (const [label, v] of Object.entries(step.expect)) labelExpect.set(label, v);
  }

  // Operators that @fhevm/solidity 0.13.2 offers but the 0.10.0 executor lacks.
  const unsupported = [];
  if (groups.has('u64')) {
    const data = chain.ifaces.OpsExerciser.encodeFunctionData('sumAndIsIn', [3n, 4n]);
    try {
      await chain.rpc.call('eth_call', [{ from: accounts.deployer, to: chain.addresses.OpsExerciser, data }, 'latest']);
      unsupported.push({ op: 'FHE.sum / FHE.isIn', reverted: false, note: 'unexpectedly succeeded: the executor has fheSum/fheIsIn' });
    } catch (e) {
      unsupported.push({ op: 'FHE.sum / FHE.isIn', reverted: true, note: `FHEVMExecutor 0.10.0 has no fheSum/fheIsIn (${e.message})` });
    }
  }
  unsupported.push({ op: 'mulDiv', reverted: null, note: 'neither @fhevm/solidity 0.13.2 (FHE.sol) nor FHEVMExecutor 0.10.0 has it' });

  return { txs, checks, labelExpect, tokenExpect, unsupported };
}

function evaluate(chain, run, balanceHandles) {
  const ev = new Evaluator();
  const allowed = new Map(); // handle -> Set(account)
  const publicDecrypt = new Set();
  const counts = {};
  const bump = (k) => { counts[k] = (counts[k] || 0) + 1; };
  const tname = (t) => (FHE_TYPES[t] || [`type${t}`])[0];

  for (const tx of run.txs) {
    for (const e of tx.events) {
      if (e.contract === 'FHEVMExecutor' && e.name) {
        ev.add(e, tx.hash);
        const a = e.args;
        if ('scalarByte' in a) bump(`${e.name} ${tname(typeOfHandle(a.lhs))} ${a.scalarByte === '0x00' ? 'encrypted' : 'scalar'}`);
        else if (e.name === 'Cast') bump(`Cast ${tname(typeOfHandle(a.ct))}->${tname(a.toType)}`);
        else if (e.name === 'TrivialEncrypt') bump(`TrivialEncrypt ${tname(a.toType)}`);
        else if (e.name === 'FheRand' || e.name === 'FheRandBounded') bump(`${e.name} ${tname(a.randType)}`);
        else if (e.name === 'FheIfThenElse') bump(`FheIfThenElse ${tname(typeOfHandle(a.ifTrue))}`);
        else if (e.name === 'FheNeg' || e.name === 'FheNot') bump(`${e.name} ${tname(typeOfHandle(a.ct))}`);
        else bump(e.name);
      } else if (e.contract === 'ACL' && e.name) {
        bump(`ACL.${e.name}`);
        if (e.name === 'Allowed') {
          if (!allowed.has(e.args.handle)) allowed.set(e.args.handle, new Set());
          allowed.get(e.args.handle).add(e.args.account);
        } else if (e.name === 'AllowedForDecryption') {
          for (const h of e.args.handlesList) publicDecrypt.add(h);
        }
      }
    }
  }

  const checks = [...run.checks];
  for (const msg of ev.errors) checks.push({ name: 'evaluator', ok: false, detail: msg });

  // Labels from OpsExerciser's Op events.
  const accessOf = new Map(); // handle -> Set(access) over all its labels
  for (const tx of run.txs) {
    for (const e of tx.appEvents) {
      if (e.name !== 'Op') continue;
      const rec = ev.handles.get(e.args.handle);
      if (!rec) {
        checks.push({ name: e.args.label, ok: false, detail: `handle ${e.args.handle} has no executor event` });
        continue;
      }
      rec.labels.push(e.args.label);
      const access = e.args.access;
      if (!accessOf.has(e.args.handle)) accessOf.set(e.args.handle, new Set());
      accessOf.get(e.args.handle).add(access);
      const isAllowed = allowed.has(e.args.handle) || publicDecrypt.has(e.args.handle);
      if (access !== 0 && !isAllowed) {
        checks.push({ name: e.args.label, ok: false, detail: `access ${access} but ACL allowed=${isAllowed}` });
      }
      if (!run.labelExpect.has(e.args.label)) {
        if (rec.value !== null) checks.push({ name: e.args.label, ok: false, detail: 'no reference value for this label' });
        continue;
      }
      const want = run.labelExpect.get(e.args.label);
      checks.push({ name: e.args.label, ok: rec.value === want, expected: want.toString(), got: rec.value === null ? null : rec.value.toString() });
    }
  }
  for (const [h, acc] of accessOf) {
    if (acc.size === 1 && acc.has(0) && (allowed.has(h) || publicDecrypt.has(h))) {
      checks.push({ name: ev.handles.get(h).labels.join(','), ok: false, detail: `intermediate ${h} got an ACL event` });
    }
  }
  // Token balances read back from the contract.
  for (const [who, want] of Object.entries(run.tokenExpect)) {
    const h = balanceHandles[who];
    const rec = h && ev.handles.get(h);
    checks.push({ name: `token.${who}`, ok: !!rec && rec.value === want, expected: want.toString(), got: rec && rec.value !== null ? rec.value.toString() : null, handle: h || null });
  }

  const handles = {};
  const allowedHandles = [];
  for (const [h, rec] of ev.handles) {
    rec.allowedTo = [...(allowed.get(h) || [])];
    rec.publicDecrypt = publicDecrypt.has(h);
    rec.allowed = rec.allowedTo.length > 0 || rec.publicDecrypt;
    if (rec.allowed) allowedHandles.push(h);
    const out = { ...rec, value: rec.value === null ? null : rec.value.toString(), valueHex: rec.value === null ? null : hexOf(rec.value) };
    handles[h] = out;
  }
  for (const h of [...allowed.keys(), ...publicDecrypt]) {
    if (!ev.handles.has(h)) checks.push({ name: 'acl', ok: false, detail: `allowed handle ${h} has no executor event` });
  }
  return { handles, allowedHandles, checks, counts };
}

// ------------------------------------------------------------------------------------------------
// Commands

async function connect(opts) {
  const { ethers, nm } = loadTools(opts.tools);
  const rpc = new Rpc(opts.rpc);
  const chainId = Number(await rpc.call('eth_chainId'));
  const accs = await rpc.call('eth_accounts');
  if (accs.length < 4) fail(`${opts.rpc} has ${accs.length} unlocked accounts; anvil's 10 are expected`);
  const [deployer, alice, bob, carol] = accs.slice(0, 4).map((a) => ethers.getAddress(a));
  return { ethers, nm, rpc, chainId, accounts: { deployer, alice, bob, carol } };
}

async function deploy(opts) {
  const timings = {};
  const comp = compile(opts);
  timings.compileMs = comp.ms;
  timings.compileCached = comp.cached;
  const c = await connect(opts);
  const hc = loadHostContracts(opts, c.nm);
  timings.compileHostMs = hc.comp.ms;
  timings.compileHostCached = hc.comp.cached;
  const chain = new Chain(c.rpc, c.ethers, hc.host, comp.contracts);
  const signers = testSigners(c.ethers);

  let t0 = process.hrtime.bigint();
  const hostSetup = await chain.deployHost(c.accounts.deployer, signers);
  timings.deployHostMs = ms(t0);
  log(`host contracts deployed and initialized (${timings.deployHostMs} ms)`);

  t0 = process.hrtime.bigint();
  const hostArgs = [HOST_ADDRESSES.ACL, HOST_ADDRESSES.FHEVMExecutor, HOST_ADDRESSES.KMSVerifier];
  const r1 = await chain.deployOurs('ConfidentialERC20', [...hostArgs, 'Confidential Token', 'CTK'], c.accounts.deployer);
  const r2 = await chain.deployOurs('OpsExerciser', hostArgs, c.accounts.deployer);
  hostSetup.push({ label: 'deploy ConfidentialERC20', hash: r1.transactionHash, blockNumber: Number(r1.blockNumber) });
  hostSetup.push({ label: 'deploy OpsExerciser', hash: r2.transactionHash, blockNumber: Number(r2.blockNumber) });
  timings.deployAppsMs = ms(t0);
  log(`dApps deployed (${timings.deployAppsMs} ms)`);
  // hostSetup stays the array of setup transactions (a property on it would not reach the JSON),
  // so the comparison goes out as the top-level `hostBytecode`.
  const hostBytecode = { compiledFromSource: true, bytecodeMatchesArtifacts: hc.matches };
  return { c, chain, signers, hostSetup, hostBytecode, timings };
}

async function cmdDeploy(opts) {
  const d = await deploy(opts);
  return { schema: OUTPUT_SCHEMA, chainId: d.c.chainId, accounts: d.c.accounts, contracts: d.chain.addresses, signers: d.signers, hostSetup: d.hostSetup, hostBytecode: d.hostBytecode, timings: d.timings, ok: true };
}

async function cmdDeployAndRun(opts) {
  const d = await deploy(opts);
  const { chain, c } = d;
  const t0 = process.hrtime.bigint();
  const run = await runScenario(chain, c.accounts, opts.groups);
  d.timings.scenarioMs = ms(t0);
  log(`scenario: ${run.txs.length} transactions (${d.timings.scenarioMs} ms)`);

  const balanceHandles = {};
  if (opts.groups.has('token')) {
    for (const who of ['alice', 'bob', 'carol']) [balanceHandles[who]] = await chain.view('ConfidentialERC20', 'balanceOf', [c.accounts[who]]);
    [balanceHandles.totalSupply] = await chain.view('ConfidentialERC20', 'totalSupply');
  }
  const res = evaluate(chain, run, balanceHandles);
  const failed = res.checks.filter((x) => !x.ok);
  const blocks = run.txs.map((t) => t.blockNumber);
  return {
    schema: OUTPUT_SCHEMA,
    chainId: c.chainId,
    accounts: c.accounts,
    contracts: chain.addresses,
    signers: d.signers,
    groups: [...opts.groups],
    blocks: { first: blocks.length ? Math.min(...blocks) : null, last: blocks.length ? Math.max(...blocks) : null },
    hostSetup: d.hostSetup,
    hostBytecode: d.hostBytecode,
    transactions: run.txs,
    handles: res.handles,
    allowedHandles: res.allowedHandles,
    token: opts.groups.has('token') ? { balances: Object.fromEntries(Object.entries(balanceHandles).map(([k, h]) => [k, { handle: h, expected: run.tokenExpect[k].toString() }])) } : null,
    checks: { total: res.checks.length, failed: failed.length, failures: failed, all: res.checks },
    unsupported: run.unsupported,
    eventCounts: Object.fromEntries(Object.entries(res.counts).sort()),
    timings: d.timings,
    ok: failed.length === 0,
  };
}

function parseArgs(argv) {
  const opts = { cmd: argv[0], tools: path.join(REPO, 'tools'), contracts: path.join(REPO, 'contracts'), groups: new Set(ALL_GROUPS), pretty: false };
  for (let i = 1; i < argv.length; i++) {
    const k = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) fail(`${k} needs a value`);
      return argv[++i];
    };
    if (k === '--rpc') opts.rpc = v();
    else if (k === '--cache') opts.cache = path.resolve(v());
    else if (k === '--tools') opts.tools = path.resolve(v());
    else if (k === '--contracts') opts.contracts = path.resolve(v());
    else if (k === '--out') opts.out = path.resolve(v());
    else if (k === '--pretty') opts.pretty = true;
    else if (k === '--groups') {
      const g = v().split(',').map((s) => s.trim()).filter(Boolean);
      for (const x of g) if (!ALL_GROUPS.includes(x)) fail(`unknown group ${x} (known: ${ALL_GROUPS.join(',')})`);
      opts.groups = new Set(g);
    } else fail(`unknown argument ${k}`);
  }
  if (!['compile', 'deploy', 'deploy-and-run'].includes(opts.cmd)) fail('usage: hostchain.cjs compile|deploy|deploy-and-run --cache DIR [--rpc URL] [--groups LIST] [--out FILE] [--pretty]');
  if (!opts.cache) fail('--cache DIR is required');
  if (opts.cmd !== 'compile' && !opts.rpc) fail('--rpc URL is required');
  return opts;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
  try {
    let result;
    if (opts.cmd === 'compile') {
      const r = compile(opts);
      result = { schema: OUTPUT_SCHEMA, contracts: Object.keys(r.contracts), key: r.key, cached: r.cached, compileMs: r.ms, sources: r.sourceCount, ok: true };
    } else if (opts.cmd === 'deploy') {
      result = await cmdDeploy(opts);
    } else {
      result = await cmdDeployAndRun(opts);
    }
    const text = `${JSON.stringify(result, null, opts.pretty ? 2 : 0)}\n`;
    if (opts.out) writeFileAtomic(opts.out, text);
    else process.stdout.write(text);
    if (!result.ok) log(`${result.checks.failed} check(s) failed: ${JSON.stringify(result.checks.failures.slice(0, 5))}`);
    return result.ok ? 0 : 1;
  } catch (e) {
    process.stderr.write(`[hostchain] error: ${e.hostchain ? e.message : e.stack}\n`);
    return 2;
  }
}

module.exports = { HOST_ADDRESSES, compile, compileHost, loadHostArtifacts, loadHostContracts, Rpc, Chain, Evaluator, decodeLog, runScenario, evaluate, cmdDeploy, cmdDeployAndRun, parseArgs };

if (require.main === module) {
  // Set the exit code and let stdout drain (process.exit() could cut a large JSON on a pipe).
  main().then((code) => { process.exitCode = code; });
}
