#!/usr/bin/env bash
# Installs the Debian packages the project needs. Idempotent: does nothing when all are present.
# Works as root or through sudo. Usage: scripts/install-deps.sh
set -euo pipefail

PACKAGES=(
  build-essential cmake make pkg-config git
  clang-format      # format check in CI
  libssl-dev        # AES (CSPRNG), SHA-256
  libfftw3-dev      # FFT oracle in tests and baseline in benchmarks
  libgtest-dev      # unit tests
  libbenchmark-dev  # benchmarks
  libpq-dev         # PostgreSQL client library (store/)
  postgresql-15     # private clusters for tests and demo (store::LocalCluster: /usr/lib/postgresql/15/bin)
  libsecp256k1-dev  # secp256k1 signing and recovery (chain/)
  libboost-dev libboost-system-dev  # Boost.Beast/Asio: JSON-RPC over HTTP and WebSocket (chain/)
  nlohmann-json3-dev                # JSON (chain/)
  nodejs npm        # test-time npm tools (node-tfhe interop oracle)
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# node and npm may come from elsewhere than Debian (preinstalled images); accept them if they run.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do
    [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p")
  done
  missing=("${filtered[@]}")
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all Debian packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
