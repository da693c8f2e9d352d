# Entry points. Each target installs what is missing first (Debian packages through
# scripts/install-deps.sh, npm test tools through `npm ci` with the committed lock file).
#   make demo    build, then run the main job (private PostgreSQL, keys, an ERC20 workload through
#                the tfhe-worker, decrypted balances)
#   make test    build, then run the test suite (CTest; label "long" excluded)
#   make bench   build, then run the benchmarks (Google Benchmark)
#   make debug   ASan+UBSan build, then its fast tests

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CTEST_ARGS ?=

.PHONY: all deps npm build debug demo test test-debug bench format format-check clean

all: build

deps:
	@bash scripts/install-deps.sh

tools/node_modules/.ci-stamp: tools/package.json tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund
	@touch $@

npm: tools/node_modules/.ci-stamp

build: deps
	cmake --preset release -DFHE_WERROR=ON
	cmake --build build -j$(JOBS)

debug: deps
	cmake --preset debug -DFHE_WERROR=ON
	cmake --build build-debug -j$(JOBS)

demo: build
	build/bin/coprocessor demo --dir .coprocessor/pg

test: build npm
	ctest --test-dir build --output-on-failure -LE long $(CTEST_ARGS)

# The sanitizer run keeps the conformance table to bool, uint2 and uint4 (the same code paths as
# the wider types, with carries across blocks; far fewer bootstraps at -O0), and skips the few
# toy tests that only repeat covered code paths many times (MulDiv's wide divisions, the ERC20
# batching comparison, 300-block compression, the OPRF distribution and every-type random values,
# the exhaustive comparison patterns): the release run has them.
SANITIZER_SKIP = ToyConformance.*/uint(8|16|32|64|128|160|256) |FhevmOps.MulDiv|CoprocExecutor.Erc20|Compression.ToyRoundTrip|Oprf.ToyValues|FhevmOps.RandEvery|IntegerEngine.Comparisons
test-debug: debug
	ctest --test-dir build-debug --output-on-failure -L toy -E '$(SANITIZER_SKIP)' $(CTEST_ARGS)

bench: build
	build/bin/fhe_bench
	build/bin/fhe_ops_bench
	build/bin/coproc_pipeline_bench

SOURCES = $(shell find fhe store chain coprocessor apps tests bench -name '*.cpp' -o -name '*.h')

format:
	clang-format -i $(SOURCES)

format-check: deps
	clang-format --dry-run --Werror $(SOURCES)

clean:
	rm -rf build build-debug
