# skilllite.h build. The library itself needs no build: this Makefile regenerates the
# header, builds the example CLI and runs the tests.
#
#   make            build/skilllite (the example CLI)
#   make test       every test program; ends with "N passed, N failed, N skipped"
#   make check      header drift check plus the compile matrix (C99, C11, C++11, C++17,
#                   gcc and clang, static mode, split declarations/implementation)
#   make sanitize   the tests under AddressSanitizer and UndefinedBehaviorSanitizer
#   make demo       runs the calculator skill in the sandbox
#   make fuzz       builds the libFuzzer targets (clang)

CC ?= cc
PYTHON ?= python3
WARN = -Wall -Wextra -Wpedantic -Werror
CFLAGS ?= -O2 -g
BUILD ?= build
STD = -std=c11

SRC_FILES := $(wildcard src/*.h src/*.c src/*.txt)
CLI_SRC := $(wildcard examples/cli/*.c)
CLI_HDR := $(wildcard examples/cli/*.h)
UNIT_SRC := $(wildcard tests/unit/*.c)
CLI_TEST_SRC := $(wildcard tests/cli/*.c)
SECURITY_SRC := $(wildcard tests/security/*.c)
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all test check sanitize demo fuzz clean header unit-tests

all: $(BUILD)/skilllite

header: skilllite.h

skilllite.h: $(SRC_FILES) amalgamate.py LICENSE
	$(PYTHON) amalgamate.py

$(BUILD)/skilllite: skilllite.h $(CLI_SRC) $(CLI_HDR)
	@mkdir -p $(BUILD)
	$(CC) $(STD) $(WARN) $(CFLAGS) -I. -o $@ $(CLI_SRC)

$(BUILD)/test_unit: skilllite.h tests/test.h $(UNIT_SRC)
	@mkdir -p $(BUILD)
	$(CC) $(STD) $(WARN) $(CFLAGS) -I. -Itests -o $@ $(UNIT_SRC)

$(BUILD)/test_cli: skilllite.h tests/test.h $(CLI_TEST_SRC)
	@mkdir -p $(BUILD)
	$(CC) $(STD) $(WARN) $(CFLAGS) -I. -Itests -o $@ $(CLI_TEST_SRC)

$(BUILD)/test_security: skilllite.h tests/test.h $(SECURITY_SRC)
	@mkdir -p $(BUILD)
	$(CC) $(STD) $(WARN) $(CFLAGS) -I. -Itests -o $@ $(SECURITY_SRC)

# Plain drivers that replay each fuzz target's seed corpus without libFuzzer.
$(BUILD)/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(wildcard tests/fuzz/*.h) skilllite.h
	@mkdir -p $(BUILD)
	$(CC) $(STD) $(WARN) $(CFLAGS) -I. -o $@ tests/fuzz/replay.c $<

TEST_PROGRAMS := $(BUILD)/test_unit $(BUILD)/skilllite \
	$(if $(CLI_TEST_SRC),$(BUILD)/test_cli) \
	$(if $(SECURITY_SRC),$(BUILD)/test_security) \
	$(foreach t,$(FUZZ_TARGETS),$(BUILD)/replay_$(t))

unit-tests: $(TEST_PROGRAMS)

test: $(TEST_PROGRAMS)
	@BUILD=$(BUILD) FUZZ_TARGETS="$(FUZZ_TARGETS)" sh tests/run.sh

check:
	$(PYTHON) amalgamate.py --check
	@BUILD=$(BUILD) sh tests/compile/run.sh

sanitize:
	$(MAKE) BUILD=build/sanitize CC=clang \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		test

demo: $(BUILD)/skilllite
	$(BUILD)/skilllite run examples/skills/calculator '{"operation": "add", "a": 15, "b": 27}'

fuzz: skilllite.h
	@mkdir -p $(BUILD)/fuzz
	@for t in $(FUZZ_TARGETS); do \
		echo "clang fuzz_$$t"; \
		clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I. \
			-o $(BUILD)/fuzz/fuzz_$$t tests/fuzz/fuzz_$$t.c || exit 1; \
	done

clean:
	rm -rf $(BUILD)

# Benchmarks (docs/BENCHMARKS.md; results in benchmark/results/, git-ignored). `bench`
# measures with what is installed; `bench-peers` first installs bubblewrap, firejail and
# sandbox-runtime (srt). Both rewrite the tables in docs/BENCHMARKS.md and the chart.
.PHONY: bench bench-peers
bench: skilllite.h $(BUILD)/skilllite
	CC="$(CC)" BUILD="$(BUILD)" PYTHON="$(PYTHON)" sh benchmark/run.sh

bench-peers: skilllite.h $(BUILD)/skilllite
	CC="$(CC)" BUILD="$(BUILD)" PYTHON="$(PYTHON)" sh benchmark/run.sh --peers
