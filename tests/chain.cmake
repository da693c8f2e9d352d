# The chain layer (hex, RLP, ABI, secp256k1, EIP-1559, EIP-712) against tests/data/chain/vectors.json
# (made by tests/chain/make_vectors.cjs with ethers), label "toy" (fast, no services).
add_executable(chain_test chain_test.cpp)
target_link_libraries(chain_test PRIVATE chain GTest::gtest GTest::gtest_main)
target_compile_definitions(chain_test PRIVATE CHAIN_TEST_DATA_DIR="${CMAKE_CURRENT_SOURCE_DIR}/data")
gtest_discover_tests(chain_test DISCOVERY_TIMEOUT 60 PROPERTIES LABELS toy)

# The fuzz targets of fuzz/ as plain regression runners: replay every file of their seed corpus
# (and any crash reproducer added there) under GCC, so CI exercises them without libFuzzer.
foreach(target rlp abi rpc)
  add_executable(${target}_fuzz_replay ${PROJECT_SOURCE_DIR}/fuzz/${target}_fuzz.cpp
                                       ${PROJECT_SOURCE_DIR}/fuzz/replay_main.cpp)
  target_link_libraries(${target}_fuzz_replay PRIVATE chain)
  add_test(NAME ${target}_fuzz_replay
           COMMAND ${target}_fuzz_replay ${PROJECT_SOURCE_DIR}/fuzz/corpus/${target})
  set_tests_properties(${target}_fuzz_replay PROPERTIES LABELS toy TIMEOUT 120)
endforeach()
