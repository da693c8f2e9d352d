# TFHE-rs wire formats: node-tfhe fixtures in tests/data (made by tests/data/make_fixtures.js).
fhe_test(serialize_test toy)
target_compile_definitions(serialize_test PRIVATE FHE_TEST_DATA_DIR="${CMAKE_CURRENT_SOURCE_DIR}/data")
