#!/usr/bin/env bash
# docs/openapi.json is up to date with its generator and passes the
# validator (structure, every $ref, every example against its schema).
#   check_document.sh <python with jsonschema>
set -euo pipefail
python="${1:-/usr/bin/python3}"
cd "$(dirname "$0")/../.."
"$python" scripts/gen_openapi.py --check
"$python" scripts/validate_openapi.py docs/openapi.json
