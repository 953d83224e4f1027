# Makefile - builds the registry, runs it locally (make run / make stop) and
# runs the whole test suite against a throw-away instance (make test).
# Everything generated goes under var/ except the binary, cgi-bin/registry.

CC       = gcc
PKGS     = fcgi libpq json-c uuid libcrypto libgvc libzip libcurl
# pkg-config may not be installed yet when this file is first read; `run` and
# `test` install it and then build in a fresh make, which asks again.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null || \
                echo -I/usr/include/postgresql -I/usr/include/json-c \
                     -I/usr/include/graphviz)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || \
                echo -lfcgi -lpq -ljson-c -luuid -lcrypto -lgvc -lcgraph \
                     -lcdt -lzip -lcurl)

WARN     = -std=c11 -Wall -Wextra -Werror
# POSIX and the usual BSD/GNU extras (strdup, setenv, readlink, PATH_MAX)
# for every file; a file may still define _GNU_SOURCE itself.
CPPFLAGS = -D_DEFAULT_SOURCE -Iinclude $(PKG_CFLAGS) -MMD -MP
CFLAGS   = -O2 -g $(WARN)
# UB aborts instead of printing and carrying on, so a test notices it.
SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all \
           -fno-omit-frame-pointer
ASAN_CFLAGS = -O1 -g $(SAN) $(WARN)
LDLIBS   = $(PKG_LIBS)

BIN        = cgi-bin/registry
BUILD      = var/build
ASAN_BUILD = var/build-asan
ASAN_BIN   = $(ASAN_BUILD)/registry

SRCS       = $(wildcard src/*.c src/*/*.c)
OBJS       = $(SRCS:src/%.c=$(BUILD)/%.o)
ASAN_OBJS  = $(SRCS:src/%.c=$(ASAN_BUILD)/%.o)
# Unit tests link every module but the command line.
ASAN_LIB   = $(filter-out $(ASAN_BUILD)/main.o,$(ASAN_OBJS))
UNIT_SRCS  = $(wildcard tests/unit/test_*.c)
UNIT_BINS  = $(UNIT_SRCS:tests/unit/%.c=$(ASAN_BUILD)/tests/%)

# Debian packages needed to build, run and test.
PACKAGES = gcc make pkg-config libfcgi-dev libpq-dev libjson-c-dev uuid-dev \
           libssl-dev postgresql nginx curl python3-pytest python3-requests \
           ca-certificates libfcgi-bin clang libclang-rt-14-dev \
           libgraphviz-dev libzip-dev python3-prov python3-rdflib \
           chromium python3-websocket wrk postgresql-contrib procps \
           python3-jsonschema nodejs libcurl4-openssl-dev apache2 \
           apache2-utils libapache2-mod-fcgid pgbouncer prometheus
# npm comes with some builds of nodejs (NodeSource's); Debian's is its own
# package, installed only when no npm is there.
PACKAGES_CMD = npm

RUN_PORT  = 8000
TEST_VAR  = var/test
TEST_PORT = 8100
# `make test TESTS=tests/http/test_web.py` runs a part of the suite.
TESTS     = tests/
# The HTTP suite runs a second time with PgBouncer (transaction pooling,
# fewer server connections than workers) between the workers and
# PostgreSQL; only with the whole suite, unless named.
PGBOUNCER_TESTS = $(if $(filter tests/ tests,$(TESTS)),tests/http/,)
PYTHON    = /usr/bin/python3

.PHONY: all run stop test test-pass bench clean deps unit fuzz fuzz-build example-data install-fair
# Keep the unit tests' objects, which make would see as intermediate.
.SECONDARY:

all: $(BIN)

$(BIN): $(OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(ASAN_BIN): $(ASAN_OBJS)
	$(CC) $(ASAN_CFLAGS) -o $@ $^ $(LDLIBS)

$(ASAN_BUILD)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ASAN_CFLAGS) -c -o $@ $<

$(ASAN_BUILD)/tests/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/unit $(ASAN_CFLAGS) -c -o $@ $<

$(ASAN_BUILD)/tests/%: $(ASAN_BUILD)/tests/%.o $(ASAN_LIB)
	$(CC) $(ASAN_CFLAGS) -o $@ $^ $(LDLIBS)

unit: $(UNIT_BINS)

# Fuzz targets (libFuzzer): every parser of client input. Built with clang;
# `make test` runs each briefly, `make fuzz` runs each for FUZZ_RUNS inputs
# (the HTML renderer, a hundred times slower per input, FUZZ_HTML_RUNS):
# at least 10 million in all (docs/security.md); it prints the total.
FUZZ_BUILD   = var/build-fuzz
FUZZ_SAN     = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS  = -O1 -g -std=c11 -Wall -Wextra $(FUZZ_SAN)
FUZZ_OBJS    = $(filter-out $(FUZZ_BUILD)/main.o,$(SRCS:src/%.c=$(FUZZ_BUILD)/%.o))
FUZZ_BINS    = $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_RUNS      ?= 1430000
FUZZ_HTML_RUNS ?= 100000

$(FUZZ_BUILD)/%.o: src/%.c
	@mkdir -p $(@D)
	clang $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	clang $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $(filter %.c %.o,$^) $(LDLIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: deps fuzz-build
	@total=0; for f in $(FUZZ_BINS); do \
		name=$$(basename $$f); \
		mkdir -p var/fuzz-corpus/$$name var/fuzz-log; \
		case $$name in fuzz_html) n=$(FUZZ_HTML_RUNS);; \
			*) n=$(FUZZ_RUNS);; esac; \
		start=$$(date +%s); \
		$$f -runs=$$n -max_len=4096 \
			-artifact_prefix=var/fuzz-log/$$name- \
			var/fuzz-corpus/$$name tests/fuzz/seeds \
			> var/fuzz-log/$$name.log 2>&1 || \
			{ tail -40 var/fuzz-log/$$name.log; exit 1; }; \
		runs=$$(grep -o 'Done [0-9]* runs' var/fuzz-log/$$name.log | \
			tail -1 | tr -dc 0-9); \
		total=$$((total + runs)); \
		echo "$$name: $$runs runs, no crash, $$(($$(date +%s) - start)) s"; \
	done; echo "fuzz: $$total runs in all, no crash"

# Installs only what is missing, so it is quick and offline once done. An
# ordinary user is told which packages to install instead.
deps:
	@missing=; \
	for p in $(PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
			grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	for p in $(PACKAGES_CMD); do \
		command -v $$p >/dev/null || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ] && [ "$$(id -u)" != 0 ]; then \
		echo "missing Debian packages; install them (as root) with: apt-get install$$missing" >&2; \
		exit 1; \
	fi; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		apt-get -o DPkg::Lock::Timeout=600 update && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y \
			-o DPkg::Lock::Timeout=600 $$missing || \
		{ echo "could not install:$$missing (root needed?)" >&2; exit 1; }; \
	fi

run: deps
	@$(MAKE) --no-print-directory all
	@src/stack.sh up var $(RUN_PORT)
	@echo "Example records: make example-data"

# Loads a small example registry into the instance `make run` started.
example-data: all
	@set -a && . var/env && set +a && $(BIN) example-data

stop:
	@src/stack.sh down var

# Makes this checkout the fair CLI's local registry: writes
# scripts/start_fair_registry and scripts/stop_fair_registry into
# FAIR_REGISTRY_DIR (the CLI's default ~/.fair/registry), so that
# `fair registry start` / `stop` run this registry. See docs/clients.md.
FAIR_REGISTRY_DIR ?= $(HOME)/.fair/registry

install-fair: deps
	@$(MAKE) --no-print-directory all
	@src/fair/install.sh "$(FAIR_REGISTRY_DIR)"

# A fresh instance every time: tests see an empty database and an earlier
# aborted run (still up or half torn down) cannot get in the way. The
# instance is torn down whatever happens, and pytest's status is ours.
test: deps
	@$(MAKE) --no-print-directory $(ASAN_BIN) unit fuzz-build
	@REGISTRY_BIN=$(CURDIR)/$(ASAN_BIN) tests/clients/run_clients.sh
	@$(MAKE) --no-print-directory test-pass PASS_TESTS="$(TESTS)"
	@if [ -n "$(PGBOUNCER_TESTS)" ]; then \
		echo "== the HTTP suite again, through PgBouncer (transaction pooling, 2 server connections, 6 workers)"; \
		$(MAKE) --no-print-directory test-pass PASS_TESTS="$(PGBOUNCER_TESTS)" \
			PASS_ENV="STACK_PGBOUNCER=2 REGISTRY_WORKERS=6"; \
	fi

# One pass of pytest against a fresh test instance (PASS_ENV: how the
# stack is brought up).
test-pass:
	@src/stack.sh down $(TEST_VAR) >/dev/null 2>&1 || true
	@src/stack.sh destroy $(TEST_VAR) >/dev/null 2>&1 || rm -rf $(TEST_VAR)
	@trap 'src/stack.sh down $(TEST_VAR) >/dev/null 2>&1' EXIT INT TERM; \
	env STACK_FAST=1 STACK_PEER_USERS=www-data $(PASS_ENV) src/stack.sh up $(TEST_VAR) $(TEST_PORT) $(ASAN_BIN) || exit 1; \
	REGISTRY_URL=http://127.0.0.1:$(TEST_PORT) \
	REGISTRY_TEST_PORT=$(TEST_PORT) \
	REGISTRY_TOKEN=$$(cat $(TEST_VAR)/token) \
	REGISTRY_VAR=$(CURDIR)/$(TEST_VAR) \
	REGISTRY_BIN=$(CURDIR)/$(ASAN_BIN) \
	REGISTRY_ROOT=$(CURDIR) \
	$(PYTHON) -m pytest -q -p no:cacheprovider $(PASS_TESTS); \
	rc=$$?; src/stack.sh down $(TEST_VAR) >/dev/null 2>&1; trap - EXIT; \
	exit $$rc

# Not part of `make test`: brings up its own durable instance under
# var/bench, loads it through the API, measures it against nginx and
# PostgreSQL alone and tears it down (tests/bench/, docs/performance.md).
# BENCH_RUNS, BENCH_SECONDS, BENCH_SCALE, ... are read from the environment.
bench: deps
	@$(MAKE) --no-print-directory all
	@tests/bench/bench.sh

# `make install` (PREFIX, DESTDIR as usual): the binary, the migrations, the
# website's static files, the guides, an example settings file, the
# web-server files and the systemd units, in the FHS places below. The
# installed binary is linked with a settings.o that names those places as
# its defaults (a checkout's binary looks beside itself instead), so it
# needs no settings to find its own files. The settings file itself is
# installed only where none is yet. docs/deploy.md.
PREFIX     ?= /usr/local
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
BINDIR      = $(PREFIX)/bin
DATADIR     = $(PREFIX)/share/registry
DOCDIR      = $(PREFIX)/share/doc/registry
UNITDIR    ?= $(PREFIX)/lib/systemd/system
INST_BUILD  = var/build-install
INST_DEFS   = -DREGISTRY_CONFIG_FILE='"$(SYSCONFDIR)/registry/registry.conf"' \
              -DREGISTRY_DOCS_DIR='"$(DOCDIR)"' \
              -DREGISTRY_MIGRATIONS_DIR='"$(DATADIR)/migrations"' \
              -DREGISTRY_LISTEN='"/run/registry/registry.sock"'
INST_SUBST  = -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g' \
              -e 's|@DOCDIR@|$(DOCDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g'

.PHONY: install
# Rebuilt every time: the places are make variables, not files.
install: $(filter-out $(BUILD)/settings.o,$(OBJS))
	@mkdir -p $(INST_BUILD)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(INST_DEFS) -c -o $(INST_BUILD)/settings.o src/settings.c
	$(CC) $(CFLAGS) -o $(INST_BUILD)/registry $^ $(INST_BUILD)/settings.o $(LDLIBS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/migrations \
		$(DESTDIR)$(DATADIR)/static $(DESTDIR)$(DATADIR)/nginx \
		$(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(SYSCONFDIR)/registry
	install -m 755 $(INST_BUILD)/registry $(DESTDIR)$(BINDIR)/registry
	install -m 644 migrations/*.sql $(DESTDIR)$(DATADIR)/migrations/
	install -m 644 src/web/static/* $(DESTDIR)$(DATADIR)/static/
	install -m 644 nginx/* $(DESTDIR)$(DATADIR)/nginx/
	if [ -d apache ]; then install -d $(DESTDIR)$(DATADIR)/apache && \
		install -m 644 apache/* $(DESTDIR)$(DATADIR)/apache/; fi
	install -m 644 README.md docs/*.md $(DESTDIR)$(DOCDIR)/
	env -u REGISTRY_CONFIG $(INST_BUILD)/registry config --example \
		>$(DESTDIR)$(DOCDIR)/examples/registry.conf
	chmod 644 $(DESTDIR)$(DOCDIR)/examples/registry.conf
	for u in systemd/*.in; do \
		sed $(INST_SUBST) $$u >$(DESTDIR)$(UNITDIR)/$$(basename $$u .in) && \
		chmod 644 $(DESTDIR)$(UNITDIR)/$$(basename $$u .in) || exit 1; \
	done
	# the settings may hold a password: readable by root and the group
	# the service runs as, once it exists
	if [ ! -e $(DESTDIR)$(SYSCONFDIR)/registry/registry.conf ]; then \
		install -m 640 $(DESTDIR)$(DOCDIR)/examples/registry.conf \
			$(DESTDIR)$(SYSCONFDIR)/registry/registry.conf; \
	fi

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(INST_BUILD) $(BIN)

-include $(OBJS:.o=.d) $(ASAN_OBJS:.o=.d) $(UNIT_BINS:=.d) $(FUZZ_OBJS:.o=.d) $(FUZZ_BINS:=.d)
