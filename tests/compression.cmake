# List compression, OPRF and re-randomization through the server key: toy set under "toy", one real-parameter check of each under "real".
add_executable(compression_test compression_test.cpp)
target_link_libraries(compression_test PRIVATE fhe GTest::gtest GTest::gtest_main)
gtest_discover_tests(compression_test TEST_FILTER "Compression.*:Oprf.*:Rerand.*" DISCOVERY_TIMEOUT 60
                     PROPERTIES LABELS toy)
gtest_discover_tests(compression_test TEST_FILTER "CompressionReal.*:OprfReal.*"
                     DISCOVERY_TIMEOUT 60 PROPERTIES LABELS real)
