# Operators on node-tfhe@1.7.0 ciphertexts, decrypted by node-tfhe (needs `npm ci` in tools/).
add_executable(interop_ops_test interop_ops_test.cpp)
target_link_libraries(interop_ops_test PRIVATE fhe GTest::gtest GTest::gtest_main)
target_compile_definitions(interop_ops_test PRIVATE FHE_TOOLS_DIR="${PROJECT_SOURCE_DIR}/tools"
                                                    FHE_INTEROP_DIR="${CMAKE_CURRENT_SOURCE_DIR}/interop")
gtest_discover_tests(interop_ops_test DISCOVERY_TIMEOUT 60 PROPERTIES LABELS interop TIMEOUT 1800)
