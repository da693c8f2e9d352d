# The FHE side of the tfhe-worker (operator dispatch, storage form, dataflow plan) on the toy set.
add_executable(coproc_core_test coproc_core_test.cpp)
target_link_libraries(coproc_core_test PRIVATE coproc_core GTest::gtest GTest::gtest_main)
gtest_discover_tests(coproc_core_test DISCOVERY_TIMEOUT 60 PROPERTIES LABELS toy)
