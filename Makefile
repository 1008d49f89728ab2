# emoguard build, test and benchmark entry points. Every target installs what it is missing on its own, so
# `make test` works in a fresh clone (the CI script .ci/run calls exactly that).
#   make test FILTER=cfb        runs only test files whose path contains "cfb" (see scripts/test.mjs)
#   make bench BENCH_FILES=500  a quick benchmark run

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

NODE ?= node
NPM ?= npm
FILTER ?=
# node_modules/.package-lock.json is npm's own record of the installed tree: it serves as the install stamp.
INSTALL_STAMP := node_modules/.package-lock.json
LOCKFILE := $(wildcard package-lock.json)
PRETTIER_GLOBS := 'src/**/*.{ts,tsx,mts}' 'test/**/*.ts' 'bench/**/*.ts' 'scripts/**/*.{ts,mjs}'

.PHONY: build test demo bench lint install check-node clean

check-node:
	@command -v $(NODE) >/dev/null 2>&1 || { \
	  echo 'error: node not found: emoguard needs Node.js >= 20 (https://nodejs.org or apt-get install nodejs)' >&2; \
	  exit 1; }
	@$(NODE) -e 'if (Number(process.versions.node.split(".")[0]) < 20) process.exit(1)' || { \
	  echo "error: emoguard needs Node.js >= 20, found $$($(NODE) --version)" >&2; exit 1; }

install: $(INSTALL_STAMP)

# better-sqlite3 has no reachable prebuilt binary here, so npm compiles it with node-gyp (python3, make, g++).
# node-gyp would download Node's headers; when they sit beside the node binary (<prefix>/include/node) it is
# pointed there instead, so the build works offline. The binding check afterwards catches an install that
# "succeeded" without running that build (e.g. an npm that skips scripts not in package.json "allowScripts").
$(INSTALL_STAMP): package.json $(LOCKFILE) | check-node
	@command -v $(NPM) >/dev/null 2>&1 || { echo 'error: npm not found (it ships with Node.js)' >&2; exit 1; }
	@prefix="$$($(NODE) -p 'require("path").resolve(process.execPath, "../..")')"; \
	  if [ -z "$${npm_config_nodedir:-}" ] && [ -f "$$prefix/include/node/node.h" ]; then \
	    export npm_config_nodedir="$$prefix"; fi; \
	  if [ -f package-lock.json ]; then cmd='ci'; else cmd='install'; fi; \
	  echo "npm $$cmd"; \
	  $(NPM) $$cmd --no-audit --no-fund || { \
	    echo "error: 'npm $$cmd' failed. better-sqlite3 compiles from source: it needs python3, make and g++" >&2; \
	    echo '       (Debian: apt-get install -y python3 make g++), and network access to the npm registry.' >&2; \
	    exit 1; }
	@$(NODE) -e 'const Database = require("better-sqlite3"); new Database(":memory:").close();' || { \
	  echo 'error: better-sqlite3 installed but its native addon does not load: its install script did not' >&2; \
	  echo '       build it. Check the npm output above (python3, make, g++; "allowScripts" in package.json).' >&2; \
	  exit 1; }
	@touch $@

# A plain rebuild every time: tsc takes seconds, and a stamp keyed on sources misses deleted files.
build: install
	node_modules/.bin/tsc -p tsconfig.build.json

# Unit tests run from the TypeScript sources (tsx); CLI tests spawn bin/emoguard, which runs dist/.
test: build
	$(NODE) scripts/test.mjs $(FILTER)

demo: build
	bin/emoguard demo

bench: build
	$(NODE) --import tsx bench/run.ts $(FILTER)

lint: install
	node_modules/.bin/tsc -p tsconfig.json --noEmit
	node_modules/.bin/prettier --check $(PRETTIER_GLOBS)

clean:
	rm -rf dist .bench coverage
