add_test(NAME cli COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/run.sh $<TARGET_FILE:fhe_cli>)
set_tests_properties(cli PROPERTIES LABELS toy)
