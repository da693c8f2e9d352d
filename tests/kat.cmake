fhe_test(kat_test toy)
target_compile_definitions(kat_test PRIVATE FHE_TEST_DATA_DIR="${CMAKE_CURRENT_SOURCE_DIR}/data")
