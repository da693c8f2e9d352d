# The store layer against a private PostgreSQL (tests/pg_cluster.h), label "db".
# Registered as one CTest test rather than one per GoogleTest case: the whole binary shares one
# cluster (PgCluster::shared()), so initdb and server start (about a second) are paid once.
add_executable(store_test store_test.cpp)
target_link_libraries(store_test PRIVATE store GTest::gtest GTest::gtest_main Threads::Threads)
add_test(NAME store_test COMMAND store_test)
set_tests_properties(store_test PROPERTIES LABELS db TIMEOUT 300)
