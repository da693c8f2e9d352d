# Interop scenario against node-tfhe@1.7.0 (tests/interop/run.sh; needs node and
# `npm ci --prefix tools`, which `make test` runs; fails when they are missing).
add_test(NAME interop
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/interop/run.sh $<TARGET_FILE:fhe_cli>
                 ${PROJECT_SOURCE_DIR}/tools)
set_tests_properties(interop PROPERTIES LABELS interop TIMEOUT 1800)
