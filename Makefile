# Tiến Độ: `make run` serves the app with demo data; `make test` runs every test.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(HOME)/.cargo/bin:$(PATH)

# cargo-leptos builds the debug server with these variables and `--cfg erase_components`.
# `cargo test` gets the same ones, so it reuses that build instead of compiling it again.
# (cargo-leptos appends the flag itself: RUSTFLAGS stays unset when it runs.)
LEPTOS_ENV := LEPTOS_OUTPUT_NAME=tiendo LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
	LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=. LEPTOS_BIN_DIR=. \
	LEPTOS_HASH_FILES=false
TEST_ENV := $(LEPTOS_ENV) LEPTOS_JS_MINIFY=false RUSTFLAGS="--cfg erase_components"
CARGO_TEST := cargo test --no-default-features --features ssr

LISTEN ?= 127.0.0.1:3000

.PHONY: size bench profile run test build build-release tools test-tools test-rust test-faults test-e2e fmt lint clean-data bench-login bench-cascade bench-national bench-feedback bench-signin-burst bench-sweep

## run: install what is missing, build the release, migrate, seed demo data on first start, serve
run: build-release
	LEPTOS_SITE_ROOT=target/site-release LEPTOS_HASH_FILES=true \
		TIENDO_LISTEN=$(LISTEN) TIENDO_SECURE_COOKIES=$${TIENDO_SECURE_COOKIES:-false} \
		target/release/tiendo serve --demo

## test: unit and integration tests (SQLite, and PostgreSQL when TIENDO_TEST_DATABASE_URL
## is set), the fault suite, then the Playwright journeys in Chromium, all on one debug build;
## then the release's browser files: their size budget and the journeys that load them
test: test-tools build test-rust test-faults test-e2e size

tools:
	@scripts/ensure-tools.sh build

test-tools:
	@scripts/ensure-tools.sh test

build: tools
	cargo leptos build

## build-release: the release server, and its browser files assembled by scripts/site.py
## into target/site-release (no page loads WebAssembly, so no cargo-leptos and no wasm
## build: a fresh machine's first `make run` compiles the server and nothing else)
build-release:
	@scripts/ensure-tools.sh run
	$(LEPTOS_ENV) cargo build --release --no-default-features --features ssr --bin tiendo
	python3 scripts/site.py --out target/site-release --hash-file target/release/hash.txt --precompress

# One integration test at a time: each starts a whole server in the test process, and
# Leptos keeps process-wide state; two servers rendering at once in one process can lose
# a wake-up and stall a page (never seen with one server per process, as in production).
test-rust:
	$(TEST_ENV) $(CARGO_TEST) --lib --test integration -- --test-threads=1

## test-faults: the debug server under kill -9, a full disk, a locked database, SIGTERM with
## slow clients, slow headers and oversized bodies, backup and restore (and a PostgreSQL
## restart and pg_dump/pg_restore when TIENDO_TEST_DATABASE_URL is set); each scenario ends
## with every acknowledged write in the database
test-faults:
	python3 tests/faults/faults.py --bin target/debug/tiendo

test-e2e:
	cd end2end && CI=$${CI:-} npx playwright test

## size: the release's browser files (as `make run` serves them: scripts/site.py into
## target/site-release, hashed names, precompressed) served by the debug server: prints, for
## each type of page, the brotli bytes it loads first and fails over 60 KB; then runs the
## form journeys and the weak-link timings (400 kbit/s, 400 ms, 360 px) in Chromium on them,
## so a change that breaks the release's files cannot pass
size: test-tools
	python3 scripts/site.py --out target/site-release --hash-file target/debug/hash.txt --precompress
	LEPTOS_HASH_FILES=true python3 tests/size/size.py --bin target/debug/tiendo --site target/site-release
	cd end2end && CI=$${CI:-} TIENDO_E2E_SITE=target/site-release LEPTOS_HASH_FILES=true \
		npx playwright test tests/forms.spec.ts tests/weak-link.spec.ts

fmt:
	cargo fmt --all

## lint: formatting and clippy, for the server and for the browser build
lint:
	cargo fmt --all --check
	$(TEST_ENV) cargo clippy --no-default-features --features ssr --all-targets -- -D warnings
	cargo clippy --lib --no-default-features --features hydrate --target wasm32-unknown-unknown \
		--target-dir target/front -- -D warnings

clean-data:
	rm -rf data

## bench-login: sign-in latency and throughput, 8 clients, against a release server
bench-login: build-release
	benches/with-server.sh sqlite python3 benches/login.py --clients 8 --seconds 20

## bench-cascade: one task cascaded to all 3,321 communes, on SQLite, then on PostgreSQL
## when TIENDO_BENCH_POSTGRES is set (for example postgres://postgres@127.0.0.1:5432)
bench-cascade: build-release
	benches/with-server.sh sqlite python3 benches/cascade.py --runs 7
	@if [ -n "$${TIENDO_BENCH_POSTGRES:-}" ]; then \
		benches/with-server.sh postgres python3 benches/cascade.py --runs 7; fi

## bench: every page under load (wrk at 16 and 64 connections) on the national data set,
## seeded once into target/bench; on SQLite, then on PostgreSQL (TIENDO_BENCH_POSTGRES,
## default the local server). Prints a table; writes target/bench/results.json
bench: build-release
	@scripts/ensure-tools.sh bench
	TIENDO_BENCH_SCRIPT=benches/load.py TIENDO_BENCH_POSTGRES=$${TIENDO_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432} \
		benches/national.sh sqlite postgres

## profile: `make bench`'s pages on SQLite at 16 connections, each sampled with perf while
## under load: flame graphs and the top functions in target/bench/profile/
profile: build-release
	@scripts/ensure-tools.sh profile
	TIENDO_BENCH_SCRIPT=benches/load.py TIENDO_BENCH_ARGS="--profile --connections 16 $${PAGES:+--only $$PAGES}" \
		benches/national.sh sqlite

## bench-national: dashboards (national, province, commune), my-work and a cascade against
## the national data set (`tiendo seed national`, kept in target/bench between runs) on
## SQLite, then on PostgreSQL when TIENDO_BENCH_POSTGRES is set. TIENDO_BENCH_FRESH=1 seeds again.
bench-national: build-release
	benches/national.sh sqlite postgres

## bench-sweep: the reminder sweep on the national data set (target: at most 2 s a sweep),
## on a copy of the seeded database: the first sweep, one a day for five days, and a repeat
bench-sweep: build-release
	TIENDO_BENCH_POSTGRES=$${TIENDO_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432} benches/sweep.sh sqlite postgres

## bench-feedback: sustained feedback submissions per second on SQLite, through the public
## form and through Open311, with the per-address limits off; the stored count must equal
## the success answers
bench-feedback: build-release
	TIENDO_BENCH_SERVER_FLAGS="--feedback-per-ip 0" benches/with-server.sh sqlite python3 benches/feedback.py --via form
	TIENDO_BENCH_SERVER_FLAGS="--feedback-per-ip 0" benches/with-server.sh sqlite python3 benches/feedback.py --via open311

## bench-signin-burst: 200 parallel failed sign-ins from one address, three times: how many
## passwords were checked, that every attempt was answered, and the server's peak memory
## growth (at most 100 MB)
bench-signin-burst: build-release
	benches/with-server.sh sqlite python3 benches/signin_burst.py --attempts 200 --runs 3
