# sluice: short verbs over CMake. Every target installs missing Debian
# packages first (scripts/deps.sh), so a fresh machine needs only `make`.
#
#   make             release build            -> build/release/sluice
#   make debug       ASan + UBSan build       -> build/debug/sluice
#   make test        every fast tier, on the sanitizer build; ends "N passed, N failed"
#   make alltest     the slow tiers as well (long differential runs, fuzzing)
#   make bench       benchmarks; rewrites BENCHMARKS.md
#   make demo        the lab walkthrough (starts and stops its own servers)
#   make format      clang-format every C file in place
#   make format-check   fail if any file is not formatted

JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE   ?= cmake
WERROR  ?= OFF
SOURCES  = $(shell git ls-files '*.c' '*.h' 2>/dev/null || find src include tests bench -name '*.[ch]')

.PHONY: all release debug test alltest bench demo format format-check clean deps

all: release

deps:
	@scripts/deps.sh

release: deps
	@$(CMAKE) -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DSLUICE_WERROR=$(WERROR) >/dev/null
	@$(CMAKE) --build build/release -j $(JOBS) -- --no-print-directory

debug: deps
	@$(CMAKE) -S . -B build/debug -DCMAKE_BUILD_TYPE=Debug -DSLUICE_SANITIZE=ON -DSLUICE_WERROR=ON >/dev/null
	@$(CMAKE) --build build/debug -j $(JOBS) -- --no-print-directory

test: debug
	@$(MAKE) --no-print-directory release WERROR=ON
	@tests/run.sh build/debug build/release

alltest: debug
	@$(MAKE) --no-print-directory release WERROR=ON
	@SLUICE_SLOW=1 tests/run.sh build/debug build/release

bench: release
	@bench/run.sh build/release

demo: release
	@scripts/demo.sh build/release/sluice

format: deps
	@clang-format -i $(SOURCES)

format-check: deps
	@clang-format --dry-run --Werror $(SOURCES)

clean:
	rm -rf build
