# Integer operators against the reference: toy set (every type) under "toy", real set under "real".
add_executable(integer_test integer_test.cpp)
target_link_libraries(integer_test PRIVATE fhe GTest::gtest GTest::gtest_main)
gtest_discover_tests(integer_test TEST_FILTER "Types/ToyConformance*:IntegerEngine*"
                     DISCOVERY_TIMEOUT 60 PROPERTIES LABELS toy)
gtest_discover_tests(integer_test TEST_FILTER "Types/RealConformance*" DISCOVERY_TIMEOUT 60
                     PROPERTIES LABELS real)
