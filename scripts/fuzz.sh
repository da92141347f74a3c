#!/usr/bin/env bash
# Runs every fuzz target in the module for FUZZTIME (default 30s), one at a time: `go test -fuzz`
# takes a single target. Plain `go test` already runs each target's seed corpus.
# A failing input is written to the package's testdata/fuzz/<target>/; commit it with the fix.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

GO="${GO:-go}"
FUZZTIME="${FUZZTIME:-30s}"

# Only packages that declare a fuzz target are listed: listing runs a package's TestMain.
mapfile -t pkgs < <(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -r -n1 dirname | sort -u)
if ((${#pkgs[@]} == 0)); then
  echo "error: no fuzz targets found" >&2
  exit 1
fi

# `go test -list` prints a package's matching tests, then "ok <package>". Captured first, so
# a package that does not build stops the script instead of losing its targets.
listing="$("$GO" test -list '^Fuzz' "${pkgs[@]}")"
targets=()
pending=()
while read -r first second _; do
  case "$first" in
  Fuzz*) pending+=("$first") ;;
  ok)
    for name in "${pending[@]}"; do targets+=("$second $name"); done
    pending=()
    ;;
  esac
done <<<"$listing"

if ((${#targets[@]} == 0)); then
  echo "error: no fuzz targets found" >&2
  exit 1
fi

failed=()
for target in "${targets[@]}"; do
  read -r pkg name <<<"$target"
  printf '\n==> %s %s for %s\n' "$pkg" "$name" "$FUZZTIME"
  if ! "$GO" test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" "$pkg"; then
    failed+=("$pkg $name")
  fi
done

if ((${#failed[@]} > 0)); then
  printf '\nFuzz targets that failed:\n' >&2
  printf '  %s\n' "${failed[@]}" >&2
  exit 1
fi
printf '\nAll %d fuzz targets ran for %s without a failure.\n' "${#targets[@]}" "$FUZZTIME"
