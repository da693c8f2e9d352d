// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {FHE} from "@fhevm/solidity/lib/FHE.sol";
import {CoprocessorConfig} from "@fhevm/solidity/lib/Impl.sol";

/// @notice Base of our test dApps: points @fhevm/solidity's FHE library at the host contracts given
///         to the constructor, so the dApps work on any chain id (ZamaConfig only knows 31337 as local).
abstract contract HostConfigured {
    constructor(address acl, address executor, address kmsVerifier) {
        FHE.setCoprocessor(CoprocessorConfig({ACLAddress: acl, CoprocessorAddress: executor, KMSVerifierAddress: kmsVerifier}));
    }
}
