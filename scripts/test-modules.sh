#!/usr/bin/env bash
# terraform test for the example modules, offline: the mock provider still needs the provider's schema,
# so a freshly built binary is served through dev_overrides, and `terraform get` (not init) installs the
# local child modules without reaching the registry.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/pbx-module-tests.XXXXXX")"
trap 'rm -rf "$work"' EXIT

go -C "$repo" build -o "$work/bin/terraform-provider-pbx" .
printf 'provider_installation {\n  dev_overrides {\n    "pbxops/pbx" = "%s/bin"\n  }\n  direct {}\n}\n' "$work" >"$work/terraformrc"
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

for module in "$repo"/examples/modules/*/; do
  echo "==> terraform test in ${module#"$repo"/}"
  export TF_DATA_DIR="$work/data/$(basename "$module")"
  terraform -chdir="$module" get >/dev/null
  terraform -chdir="$module" test -no-color
done
