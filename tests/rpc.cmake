# JSON-RPC clients and typed Ethereum methods against a private anvil (tests/anvil.h), label
# "chain". One CTest test for the binary: the read-only tests share one node.
add_executable(rpc_test rpc_test.cpp)
target_link_libraries(rpc_test PRIVATE chain GTest::gtest GTest::gtest_main Threads::Threads)
target_compile_definitions(
  rpc_test PRIVATE
  FHEVM_ANVIL_BIN="${PROJECT_SOURCE_DIR}/tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil")
add_test(NAME rpc_test COMMAND rpc_test)
set_tests_properties(rpc_test PROPERTIES LABELS chain TIMEOUT 120)
