# The host-listener against the host contracts on anvil and a private PostgreSQL, label "chain".
add_executable(host_listener_test host_listener_test.cpp)
target_link_libraries(host_listener_test PRIVATE coproc_listener GTest::gtest GTest::gtest_main
                                                 Threads::Threads)
target_compile_definitions(
  host_listener_test PRIVATE
  FHEVM_ANVIL_BIN="${PROJECT_SOURCE_DIR}/tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
  FHE_SOURCE_DIR="${PROJECT_SOURCE_DIR}" FHE_BINARY_DIR="${CMAKE_BINARY_DIR}")
add_test(NAME host_listener_test COMMAND host_listener_test)
set_tests_properties(host_listener_test PROPERTIES LABELS chain TIMEOUT 900)
