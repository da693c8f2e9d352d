# TFHE-rs wire formats of CompressedCiphertextList and CompactPublicKey (hand-built layouts, round
# trips, malformed input).
fhe_test(tfhers_lists_test toy)

# The CompactPublicKey against node-tfhe@1.7.0 (tests/interop/cpk.js; needs `npm ci` in tools/).
add_executable(tfhers_cpk_interop_test tfhers_cpk_interop_test.cpp)
target_link_libraries(tfhers_cpk_interop_test PRIVATE fhe GTest::gtest GTest::gtest_main)
target_compile_definitions(tfhers_cpk_interop_test
                           PRIVATE FHE_TOOLS_DIR="${PROJECT_SOURCE_DIR}/tools"
                                   FHE_INTEROP_DIR="${CMAKE_CURRENT_SOURCE_DIR}/interop")
gtest_discover_tests(tfhers_cpk_interop_test DISCOVERY_TIMEOUT 60 PROPERTIES LABELS interop
                                                                              TIMEOUT 300)
