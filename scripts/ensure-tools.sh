#!/usr/bin/env bash
# Installs what building and testing Tiến Độ needs, skipping whatever is already there.
#   scripts/ensure-tools.sh run     brotli (the release's files are precompressed); nothing
#                                   else: `make run` needs only cargo and python3
#   scripts/ensure-tools.sh build   wasm target, cargo-leptos, wasm-bindgen CLI, wasm-opt
#   scripts/ensure-tools.sh test    the above, plus Chromium and the end2end npm packages
#   scripts/ensure-tools.sh bench   the build tools, plus the load generator wrk
#   scripts/ensure-tools.sh profile the bench tools, plus perf and inferno (flame graphs)
# cargo-leptos would download wasm-bindgen and wasm-opt from GitHub, which these machines
# cannot reach; it uses the ones it finds on PATH instead.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

CARGO_LEPTOS_VERSION=0.3.10
what=${1:-build}

say() { printf '==> %s\n' "$*"; }

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "installing Debian packages: $*"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null \
    || { $sudo apt-get update -q >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; }
}

# The wasm-bindgen CLI must equal the wasm-bindgen crate that Cargo.lock resolved.
locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

command -v brotli >/dev/null || apt_install brotli
command -v python3 >/dev/null || apt_install python3
[ "$what" = run ] && exit 0

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 12 minutes on 2 cores)"
  cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked
fi

bindgen=$(locked_version wasm-bindgen)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen" ]; then
  say "installing wasm-bindgen-cli $bindgen"
  # Not --locked: the CLI's own lock file names a yanked crate.
  cargo install wasm-bindgen-cli --version "$bindgen"
fi

command -v wasm-opt >/dev/null || apt_install binaryen

if [ "$what" = test ]; then
  command -v chromium >/dev/null || apt_install chromium
  if [ ! -d end2end/node_modules ] || [ end2end/package-lock.json -nt end2end/node_modules ]; then
    say "installing the end2end npm packages"
    (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

if [ "$what" = bench ] || [ "$what" = profile ]; then
  command -v wrk >/dev/null || apt_install wrk
fi

if [ "$what" = profile ]; then
  command -v perf >/dev/null || apt_install linux-perf
  if ! command -v inferno-flamegraph >/dev/null; then
    say "installing inferno (flame graphs)"
    cargo install inferno --version 0.12.8 --locked
  fi
fi
