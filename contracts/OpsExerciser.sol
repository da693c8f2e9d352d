// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {FHE, ebool, euint8, euint16, euint32, euint64, euint128, euint256, eaddress} from "@fhevm/solidity/lib/FHE.sol";
import {Impl} from "@fhevm/solidity/lib/Impl.sol";
import {HostConfigured} from "./HostConfigured.sol";

/// @title  OpsExerciser: makes FHEVMExecutor emit each of its operator events.
/// @notice Every function takes plaintext operands, trivially encrypts them (TrivialEncrypt) and
///         applies the operators of one type, with encrypted and scalar right operands. Each result
///         is reported by an `Op(label, handle, access)` event, so that a test can name the handles:
///           access 0: intermediate (only transiently allowed: no ACL event, never stored)
///           access 1: allowed to this contract and to the caller (two ACL Allowed events)
///           access 2: allowed to the caller only (one Allowed event)
///           access 3: made publicly decryptable only (one AllowedForDecryption event)
///         Executor 0.10.0 restrictions apply: div/rem only by a scalar; add/sub/mul/min/max and
///         ordered comparisons only up to 128 bits; cast never to ebool (the library uses ne(x, 0)).
///         FHE.sum and FHE.isIn exist in the FHE library (0.13.2) but the 0.10.0 executor has no
///         fheSum/fheIsIn: `sumAndIsIn` reverts there and is only called to show that.
contract OpsExerciser is HostConfigured {
    uint8 internal constant INTERMEDIATE = 0;
    uint8 internal constant ALLOWED = 1;
    uint8 internal constant ALLOWED_TO_CALLER = 2;
    uint8 internal constant PUBLIC_DECRYPT = 3;

    event Op(string label, bytes32 handle, uint8 access);

    constructor(address acl, address executor, address kmsVerifier) HostConfigured(acl, executor, kmsVerifier) {}

    // ---------------------------------------------------------------- ebool

    function boolOps(bool a, bool b) external {
        ebool x = FHE.asEbool(a);
        ebool y = FHE.asEbool(b);
        _keep("bool.and", ebool.unwrap(FHE.and(x, y)));
        _keep("bool.and.s", ebool.unwrap(FHE.and(x, b)));
        _keep("bool.or", ebool.unwrap(FHE.or(x, y)));
        _keep("bool.or.s", ebool.unwrap(FHE.or(x, b)));
        _keep("bool.xor", ebool.unwrap(FHE.xor(x, y)));
        _keep("bool.xor.s", ebool.unwrap(FHE.xor(x, b)));
        _keep("bool.eq", ebool.unwrap(FHE.eq(x, y)));
        _keep("bool.eq.s", ebool.unwrap(FHE.eq(x, b)));
        _keep("bool.ne", ebool.unwrap(FHE.ne(x, y)));
        _keep("bool.ne.s", ebool.unwrap(FHE.ne(x, b)));
        ebool nx = FHE.not(x);
        _tmp("bool.not", ebool.unwrap(nx));
        _keep("bool.select", ebool.unwrap(FHE.select(y, nx, x)));
        _keepForCaller("bool.cast.u8", euint8.unwrap(FHE.asEuint8(x)));
        _keep("bool.cast.u64", euint64.unwrap(FHE.asEuint64(y)));
    }

    // ---------------------------------------------------------------- euint8

    function u8Arith(uint8 a, uint8 b, uint8 d) external {
        euint8 x = FHE.asEuint8(a);
        euint8 y = FHE.asEuint8(b);
        _keep("u8.add", euint8.unwrap(FHE.add(x, y)));
        _keep("u8.add.s", euint8.unwrap(FHE.add(x, b)));
        _keep("u8.sub", euint8.unwrap(FHE.sub(x, y)));
        _keep("u8.sub.s", euint8.unwrap(FHE.sub(x, b)));
        _keep("u8.sub.ls", euint8.unwrap(FHE.sub(b, x)));
        euint8 m = FHE.mul(x, y);
        _tmp("u8.mul", euint8.unwrap(m));
        _keep("u8.mul.add.s", euint8.unwrap(FHE.add(m, 1)));
        _keep("u8.mul.s", euint8.unwrap(FHE.mul(x, b)));
        _keep("u8.div.s", euint8.unwrap(FHE.div(x, d)));
        _keep("u8.rem.s", euint8.unwrap(FHE.rem(x, d)));
        _keep("u8.min", euint8.unwrap(FHE.min(x, y)));
        _keep("u8.min.s", euint8.unwrap(FHE.min(x, b)));
        _keep("u8.max", euint8.unwrap(FHE.max(x, y)));
        _keep("u8.max.s", euint8.unwrap(FHE.max(x, b)));
        _keep("u8.neg", euint8.unwrap(FHE.neg(x)));
    }

    function u8Logic(uint8 a, uint8 b, uint8 s) external {
        euint8 x = FHE.asEuint8(a);
        euint8 y = FHE.asEuint8(b);
        euint8 z = FHE.asEuint8(s);
        _keep("u8.and", euint8.unwrap(FHE.and(x, y)));
        _keep("u8.and.s", euint8.unwrap(FHE.and(x, b)));
        _keep("u8.or", euint8.unwrap(FHE.or(x, y)));
        _keep("u8.or.s", euint8.unwrap(FHE.or(x, b)));
        _keep("u8.xor", euint8.unwrap(FHE.xor(x, y)));
        _keep("u8.xor.s", euint8.unwrap(FHE.xor(x, b)));
        _keep("u8.shl", euint8.unwrap(FHE.shl(x, z)));
        _keep("u8.shl.s", euint8.unwrap(FHE.shl(x, s)));
        _keep("u8.shr", euint8.unwrap(FHE.shr(x, z)));
        _keep("u8.shr.s", euint8.unwrap(FHE.shr(x, s)));
        _keep("u8.rotl", euint8.unwrap(FHE.rotl(x, z)));
        _keep("u8.rotl.s", euint8.unwrap(FHE.rotl(x, s)));
        _keep("u8.rotr", euint8.unwrap(FHE.rotr(x, z)));
        _keep("u8.rotr.s", euint8.unwrap(FHE.rotr(x, s)));
        _keep("u8.eq", ebool.unwrap(FHE.eq(x, y)));
        _keep("u8.eq.s", ebool.unwrap(FHE.eq(x, a)));
        _keep("u8.ne", ebool.unwrap(FHE.ne(x, y)));
        _keep("u8.ne.s", ebool.unwrap(FHE.ne(x, b)));
        _keep("u8.ge", ebool.unwrap(FHE.ge(x, y)));
        _keep("u8.ge.s", ebool.unwrap(FHE.ge(x, b)));
        _keep("u8.gt", ebool.unwrap(FHE.gt(x, y)));
        _keep("u8.gt.s", ebool.unwrap(FHE.gt(x, b)));
        _keep("u8.le", ebool.unwrap(FHE.le(x, y)));
        _keep("u8.le.s", ebool.unwrap(FHE.le(x, b)));
        _keep("u8.lt", ebool.unwrap(FHE.lt(x, y)));
        _keep("u8.lt.s", ebool.unwrap(FHE.lt(x, b)));
        _keep("u8.not", euint8.unwrap(FHE.not(x)));
        euint8 t = FHE.xor(x, z);
        _tmp("u8.xor.xz", euint8.unwrap(t));
        ebool c = FHE.le(t, y);
        _tmp("u8.le.ty", ebool.unwrap(c));
        _keep("u8.select", euint8.unwrap(FHE.select(c, t, y)));
        _keep("u8.cast.u16", euint16.unwrap(FHE.asEuint16(x)));
        _keep("u8.cast.u256", euint256.unwrap(FHE.asEuint256(y)));
        _keepForCaller("u8.tobool", ebool.unwrap(FHE.asEbool(z)));
    }

    // ---------------------------------------------------------------- euint16, euint32 (a smaller set)

    function u16Ops(uint16 a, uint16 b, uint8 s) external {
        euint16 x = FHE.asEuint16(a);
        euint16 y = FHE.asEuint16(b);
        _keep("u16.add", euint16.unwrap(FHE.add(x, y)));
        _keep("u16.mul.s", euint16.unwrap(FHE.mul(x, b)));
        _keep("u16.shr.s", euint16.unwrap(FHE.shr(x, s)));
        _keep("u16.rotl", euint16.unwrap(FHE.rotl(x, FHE.asEuint8(s))));
        ebool c = FHE.lt(x, y);
        _keep("u16.lt", ebool.unwrap(c));
        _keep("u16.select", euint16.unwrap(FHE.select(c, x, y)));
        _keep("u16.cast.u32", euint32.unwrap(FHE.asEuint32(x)));
        _keep("u16.cast.u8", euint8.unwrap(FHE.asEuint8(y)));
    }

    function u32Ops(uint32 a, uint32 b, uint8 s) external {
        euint32 x = FHE.asEuint32(a);
        euint32 y = FHE.asEuint32(b);
        _keep("u32.sub", euint32.unwrap(FHE.sub(x, y)));
        _keep("u32.mul", euint32.unwrap(FHE.mul(x, y)));
        _keep("u32.div.s", euint32.unwrap(FHE.div(x, b)));
        _keep("u32.rotr.s", euint32.unwrap(FHE.rotr(x, s)));
        ebool c = FHE.ge(x, b);
        _keep("u32.ge.s", ebool.unwrap(c));
        _keep("u32.select", euint32.unwrap(FHE.select(c, y, x)));
        _keep("u32.cast.u64", euint64.unwrap(FHE.asEuint64(x)));
        _keep("u32.cast.u16", euint16.unwrap(FHE.asEuint16(y)));
    }

    // ---------------------------------------------------------------- euint64

    function u64Arith(uint64 a, uint64 b, uint64 d) external {
        euint64 x = FHE.asEuint64(a);
        euint64 y = FHE.asEuint64(b);
        _keep("u64.add", euint64.unwrap(FHE.add(x, y)));
        _keep("u64.add.s", euint64.unwrap(FHE.add(x, b)));
        _publicOnly("u64.sub", euint64.unwrap(FHE.sub(x, y)));
        _keep("u64.sub.s", euint64.unwrap(FHE.sub(x, b)));
        _keep("u64.sub.ls", euint64.unwrap(FHE.sub(b, x)));
        euint64 m = FHE.mul(x, y);
        _tmp("u64.mul", euint64.unwrap(m));
        _keep("u64.mul.add.s", euint64.unwrap(FHE.add(m, 1)));
        _keep("u64.mul.s", euint64.unwrap(FHE.mul(x, b)));
        _keep("u64.div.s", euint64.unwrap(FHE.div(x, d)));
        _keep("u64.rem.s", euint64.unwrap(FHE.rem(x, d)));
        _keep("u64.min", euint64.unwrap(FHE.min(x, y)));
        _keep("u64.min.s", euint64.unwrap(FHE.min(x, b)));
        _keep("u64.max", euint64.unwrap(FHE.max(x, y)));
        _keep("u64.max.s", euint64.unwrap(FHE.max(x, b)));
        _keep("u64.neg", euint64.unwrap(FHE.neg(x)));
    }

    function u64Logic(uint64 a, uint64 b, uint8 s) external {
        euint64 x = FHE.asEuint64(a);
        euint64 y = FHE.asEuint64(b);
        euint8 z = FHE.asEuint8(s);
        _keep("u64.and", euint64.unwrap(FHE.and(x, y)));
        _keep("u64.and.s", euint64.unwrap(FHE.and(x, b)));
        _keep("u64.or", euint64.unwrap(FHE.or(x, y)));
        _keep("u64.or.s", euint64.unwrap(FHE.or(x, b)));
        _keep("u64.xor", euint64.unwrap(FHE.xor(x, y)));
        _keep("u64.xor.s", euint64.unwrap(FHE.xor(x, b)));
        _keep("u64.shl", euint64.unwrap(FHE.shl(x, z)));
        _keep("u64.shl.s", euint64.unwrap(FHE.shl(x, s)));
        _keep("u64.shr", euint64.unwrap(FHE.shr(x, z)));
        _keep("u64.shr.s", euint64.unwrap(FHE.shr(x, s)));
        _keep("u64.rotl", euint64.unwrap(FHE.rotl(x, z)));
        _keep("u64.rotl.s", euint64.unwrap(FHE.rotl(x, s)));
        _keep("u64.rotr", euint64.unwrap(FHE.rotr(x, z)));
        _keep("u64.rotr.s", euint64.unwrap(FHE.rotr(x, s)));
        _keep("u64.eq", ebool.unwrap(FHE.eq(x, y)));
        _keep("u64.eq.s", ebool.unwrap(FHE.eq(x, a)));
        _keep("u64.ne", ebool.unwrap(FHE.ne(x, y)));
        _keep("u64.ne.s", ebool.unwrap(FHE.ne(x, b)));
        _keep("u64.ge", ebool.unwrap(FHE.ge(x, y)));
        _keep("u64.ge.s", ebool.unwrap(FHE.ge(x, b)));
        _keep("u64.gt", ebool.unwrap(FHE.gt(x, y)));
        _keep("u64.gt.s", ebool.unwrap(FHE.gt(x, b)));
        _keep("u64.le", ebool.unwrap(FHE.le(x, y)));
        _keep("u64.le.s", ebool.unwrap(FHE.le(x, b)));
        _keep("u64.lt", ebool.unwrap(FHE.lt(x, y)));
        _keep("u64.lt.s", ebool.unwrap(FHE.lt(x, b)));
        _keep("u64.not", euint64.unwrap(FHE.not(x)));
        euint64 t = FHE.xor(x, FHE.asEuint64(z));
        _tmp("u64.xor.xz", euint64.unwrap(t));
        ebool c = FHE.le(t, y);
        _tmp("u64.le.ty", ebool.unwrap(c));
        _keep("u64.select", euint64.unwrap(FHE.select(c, t, y)));
        _keep("u64.cast.u8", euint8.unwrap(FHE.asEuint8(x)));
        _keep("u64.cast.u128", euint128.unwrap(FHE.asEuint128(y)));
        _keepForCaller("u64.tobool", ebool.unwrap(FHE.asEbool(x)));
    }

    // ---------------------------------------------------------------- euint128

    function u128Arith(uint128 a, uint128 b, uint128 d) external {
        euint128 x = FHE.asEuint128(a);
        euint128 y = FHE.asEuint128(b);
        _keep("u128.add", euint128.unwrap(FHE.add(x, y)));
        _keep("u128.add.s", euint128.unwrap(FHE.add(x, b)));
        _keep("u128.sub", euint128.unwrap(FHE.sub(x, y)));
        _keep("u128.sub.s", euint128.unwrap(FHE.sub(x, b)));
        _keep("u128.mul", euint128.unwrap(FHE.mul(x, y)));
        _keep("u128.mul.s", euint128.unwrap(FHE.mul(x, b)));
        _keep("u128.div.s", euint128.unwrap(FHE.div(x, d)));
        _keep("u128.rem.s", euint128.unwrap(FHE.rem(x, d)));
        _keep("u128.min", euint128.unwrap(FHE.min(x, y)));
        _keep("u128.max.s", euint128.unwrap(FHE.max(x, b)));
        _keep("u128.neg", euint128.unwrap(FHE.neg(x)));
    }

    function u128Logic(uint128 a, uint128 b, uint8 s) external {
        euint128 x = FHE.asEuint128(a);
        euint128 y = FHE.asEuint128(b);
        _keep("u128.and", euint128.unwrap(FHE.and(x, y)));
        _keep("u128.or.s", euint128.unwrap(FHE.or(x, b)));
        _keep("u128.xor", euint128.unwrap(FHE.xor(x, y)));
        _keep("u128.shl.s", euint128.unwrap(FHE.shl(x, s)));
        _keep("u128.shr", euint128.unwrap(FHE.shr(x, FHE.asEuint8(s))));
        _keep("u128.rotl.s", euint128.unwrap(FHE.rotl(x, s)));
        _keep("u128.rotr.s", euint128.unwrap(FHE.rotr(x, s)));
        _keep("u128.eq", ebool.unwrap(FHE.eq(x, y)));
        _keep("u128.ne.s", ebool.unwrap(FHE.ne(x, b)));
        _keep("u128.gt", ebool.unwrap(FHE.gt(x, y)));
        _keep("u128.le.s", ebool.unwrap(FHE.le(x, b)));
        _keep("u128.not", euint128.unwrap(FHE.not(x)));
        ebool c = FHE.lt(x, y);
        _tmp("u128.lt", ebool.unwrap(c));
        _keep("u128.select", euint128.unwrap(FHE.select(c, x, y)));
        _keep("u128.cast.u64", euint64.unwrap(FHE.asEuint64(x)));
    }

    // ---------------------------------------------------------------- euint256 (bitwise, shifts, equality, neg, not)

    function u256Ops(uint256 a, uint256 b, uint8 s) external {
        euint256 x = FHE.asEuint256(a);
        euint256 y = FHE.asEuint256(b);
        _keep("u256.and", euint256.unwrap(FHE.and(x, y)));
        _keep("u256.and.s", euint256.unwrap(FHE.and(x, b)));
        _keep("u256.or", euint256.unwrap(FHE.or(x, y)));
        _keep("u256.xor.s", euint256.unwrap(FHE.xor(x, b)));
        _keep("u256.shl.s", euint256.unwrap(FHE.shl(x, s)));
        _keep("u256.shr", euint256.unwrap(FHE.shr(x, FHE.asEuint8(s))));
        _keep("u256.rotl.s", euint256.unwrap(FHE.rotl(x, s)));
        _keep("u256.rotr.s", euint256.unwrap(FHE.rotr(x, s)));
        ebool c = FHE.eq(x, y);
        _keep("u256.eq", ebool.unwrap(c));
        _keep("u256.ne.s", ebool.unwrap(FHE.ne(x, b)));
        _keep("u256.neg", euint256.unwrap(FHE.neg(x)));
        _keep("u256.not", euint256.unwrap(FHE.not(y)));
        _keep("u256.select", euint256.unwrap(FHE.select(c, x, y)));
        _keep("u256.cast.u64", euint64.unwrap(FHE.asEuint64(x)));
    }

    // ---------------------------------------------------------------- eaddress (Uint160)

    function addressOps(address a, address b) external {
        eaddress x = FHE.asEaddress(a);
        eaddress y = FHE.asEaddress(b);
        ebool c = FHE.eq(x, y);
        _keep("addr.eq", ebool.unwrap(c));
        _keep("addr.ne.s", ebool.unwrap(FHE.ne(x, a)));
        _keep("addr.select", eaddress.unwrap(FHE.select(FHE.not(c), x, y)));
    }

    // ---------------------------------------------------------------- random values (cleartext unknown)

    function randOps() external {
        _keep("rand.bool", ebool.unwrap(FHE.randEbool()));
        _keep("rand.u8", euint8.unwrap(FHE.randEuint8()));
        _keep("rand.u8.bounded", euint8.unwrap(FHE.randEuint8(16)));
        _keep("rand.u16.bounded", euint16.unwrap(FHE.randEuint16(1024)));
        _keep("rand.u32", euint32.unwrap(FHE.randEuint32()));
        euint64 r = FHE.randEuint64();
        _tmp("rand.u64", euint64.unwrap(r));
        _keep("rand.u64.add.s", euint64.unwrap(FHE.add(r, 1)));
        _keep("rand.u64.bounded", euint64.unwrap(FHE.randEuint64(uint64(1) << 32)));
        _keep("rand.u128", euint128.unwrap(FHE.randEuint128()));
        _keep("rand.u256.bounded", euint256.unwrap(FHE.randEuint256(uint256(1) << 200)));
    }

    // ---------------------------------------------------------------- not in executor 0.10.0

    /// Reverts against host-contracts 0.10.0 (no fheSum / fheIsIn there); called with eth_call only.
    function sumAndIsIn(uint64 a, uint64 b) external {
        euint64[] memory values = new euint64[](2);
        values[0] = FHE.asEuint64(a);
        values[1] = FHE.asEuint64(b);
        _keep("u64.sum", euint64.unwrap(FHE.sum(values)));
        _keep("u64.isin", ebool.unwrap(FHE.isIn(values[0], values)));
    }

    // ---------------------------------------------------------------- helpers

    function _keep(string memory label, bytes32 handle) internal {
        Impl.allow(handle, address(this));
        Impl.allow(handle, msg.sender);
        emit Op(label, handle, ALLOWED);
    }

    function _keepForCaller(string memory label, bytes32 handle) internal {
        Impl.allow(handle, msg.sender);
        emit Op(label, handle, ALLOWED_TO_CALLER);
    }

    function _publicOnly(string memory label, bytes32 handle) internal {
        Impl.makePubliclyDecryptable(handle);
        emit Op(label, handle, PUBLIC_DECRYPT);
    }

    function _tmp(string memory label, bytes32 handle) internal {
        emit Op(label, handle, INTERMEDIATE);
    }
}
