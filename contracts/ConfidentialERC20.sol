// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {FHE, ebool, euint64, externalEuint64} from "@fhevm/solidity/lib/FHE.sol";
import {HostConfigured} from "./HostConfigured.sol";

/// @title  ConfidentialERC20: a minimal confidential token for the host-listener tests.
/// @notice Balances are euint64 handles. Amounts are plain uint64 values trivially encrypted on chain
///         (no relayer or input proof needed); an `externalEuint64` + proof entry point exists for
///         tests that bring real inputs. A transfer of more than the balance moves nothing (the
///         whitepaper pattern: ge, sub, select, add, select), so it never reveals the balance.
contract ConfidentialERC20 is HostConfigured {
    string public name;
    string public symbol;
    uint8 public constant decimals = 6;
    address public immutable owner;

    euint64 private _totalSupply;
    mapping(address => euint64) private _balances;

    /// Emitted without amounts: only the handles of the new balances.
    event Mint(address indexed to, bytes32 newBalance, bytes32 newTotalSupply);
    event Transfer(address indexed from, address indexed to, bytes32 newFromBalance, bytes32 newToBalance);

    error NotOwner();

    constructor(
        address acl,
        address executor,
        address kmsVerifier,
        string memory name_,
        string memory symbol_
    ) HostConfigured(acl, executor, kmsVerifier) {
        name = name_;
        symbol = symbol_;
        owner = msg.sender;
    }

    /// @notice Handle of `account`'s balance (0 if it never held tokens).
    function balanceOf(address account) external view returns (bytes32) {
        return euint64.unwrap(_balances[account]);
    }

    function totalSupply() external view returns (bytes32) {
        return euint64.unwrap(_totalSupply);
    }

    function mint(address to, uint64 amount) external {
        if (msg.sender != owner) revert NotOwner();
        euint64 balance = FHE.add(_balances[to], FHE.asEuint64(amount));
        _balances[to] = balance;
        FHE.allowThis(balance);
        FHE.allow(balance, to);

        euint64 supply = FHE.add(_totalSupply, amount);
        _totalSupply = supply;
        FHE.allowThis(supply);
        FHE.allow(supply, owner);
        emit Mint(to, euint64.unwrap(balance), euint64.unwrap(supply));
    }

    /// @notice Transfers a plaintext amount, trivially encrypted on chain.
    function transfer(address to, uint64 amount) external {
        _transfer(msg.sender, to, FHE.asEuint64(amount));
    }

    /// @notice Transfers an encrypted input (needs a coprocessor-signed input proof).
    function transfer(address to, externalEuint64 encryptedAmount, bytes calldata inputProof) external {
        _transfer(msg.sender, to, FHE.fromExternal(encryptedAmount, inputProof));
    }

    function _transfer(address from, address to, euint64 amount) internal {
        euint64 fromBalance = _balances[from];
        euint64 toBalance = _balances[to];
        ebool canTransfer = FHE.ge(fromBalance, amount);
        euint64 newFrom = FHE.select(canTransfer, FHE.sub(fromBalance, amount), fromBalance);
        euint64 newTo = FHE.select(canTransfer, FHE.add(toBalance, amount), toBalance);

        _balances[from] = newFrom;
        FHE.allowThis(newFrom);
        FHE.allow(newFrom, from);
        _balances[to] = newTo;
        FHE.allowThis(newTo);
        FHE.allow(newTo, to);
        emit Transfer(from, to, euint64.unwrap(newFrom), euint64.unwrap(newTo));
    }
}
