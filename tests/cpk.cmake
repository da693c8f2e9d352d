# Compact public key encryption and re-randomization (cpk_test.cpp): RealCpk.* (FHEVM parameters,
# well under a second) is labelled "real", every other test "toy". TfhersCpk.* reads the
# node-tfhe fixtures of tests/data/make_cpk_fixtures.js.
add_executable(cpk_test cpk_test.cpp)
target_link_libraries(cpk_test PRIVATE fhe GTest::gtest GTest::gtest_main)
target_include_directories(cpk_test PRIVATE ${PROJECT_SOURCE_DIR}/fhe/src)
target_compile_definitions(cpk_test PRIVATE FHE_TEST_DATA_DIR="${CMAKE_CURRENT_SOURCE_DIR}/data")
gtest_discover_tests(cpk_test DISCOVERY_TIMEOUT 60 TEST_FILTER "-RealCpk.*"
                     TEST_LIST cpk_toy_tests PROPERTIES LABELS toy)
gtest_discover_tests(cpk_test DISCOVERY_TIMEOUT 60 TEST_FILTER "RealCpk.*"
                     TEST_LIST cpk_real_tests PROPERTIES LABELS real)
