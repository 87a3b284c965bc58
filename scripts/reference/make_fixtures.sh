#!/usr/bin/env bash
# Regenerates test/fixtures/models/ and test/fixtures/reference/ (deterministic, a few seconds).
# Usage: scripts/reference/make_fixtures.sh [--check] [--no-hf-check]   (PYTHON overrides /usr/bin/python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
exec "${PYTHON:-/usr/bin/python3}" scripts/reference/make_fixtures.py "$@"
