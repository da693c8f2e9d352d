# The toy digest runs everywhere (also under the sanitizers); the real-parameter one is "real".
add_executable(golden_test golden_test.cpp)
target_link_libraries(golden_test PRIVATE fhe GTest::gtest GTest::gtest_main)
gtest_discover_tests(golden_test TEST_FILTER "Golden.Toy*" DISCOVERY_TIMEOUT 60
                     PROPERTIES LABELS toy)
gtest_discover_tests(golden_test TEST_FILTER "Golden.Real*" DISCOVERY_TIMEOUT 60
                     PROPERTIES LABELS real)
