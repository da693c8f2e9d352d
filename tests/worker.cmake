# The tfhe-worker against a private PostgreSQL (tests/pg_cluster.h) on the toy set, label "db".
# One CTest test for the binary: its cases share one cluster.
add_executable(worker_test worker_test.cpp)
target_link_libraries(worker_test PRIVATE coproc_services GTest::gtest GTest::gtest_main
                                          Threads::Threads)
add_test(NAME worker_test COMMAND worker_test)
set_tests_properties(worker_test PROPERTIES LABELS db TIMEOUT 600)
target_compile_definitions(worker_test PRIVATE COPROCESSOR_BIN="$<TARGET_FILE:coprocessor_cli>")
add_dependencies(worker_test coprocessor_cli)
