#!/usr/bin/env bash
# Without Terraform the acceptance tests exit 1 with no failing test named, so say so up front.
set -euo pipefail

min_major=1
min_minor=5 # check blocks and plantimestamp() arrived in 1.5

if ! tf="$(command -v terraform)"; then
  cat >&2 <<'MSG'
error: terraform was not found on PATH.
The tests and the demo run a real Terraform binary and never download one.
Install Terraform 1.5 or later (https://developer.hashicorp.com/terraform/install),
make sure `terraform version` works, then run the command again.
MSG
  exit 1
fi

# The machine may name a CLI config file that does not exist; Terraform only warns about it.
version="$(CHECKPOINT_DISABLE=1 "$tf" version -json 2>/dev/null |
  sed -n 's/.*"terraform_version": *"\([0-9][0-9.]*\).*/\1/p' | head -n 1)"
if [[ -z "$version" ]]; then
  echo "error: could not read the version of $tf (try: $tf version)." >&2
  exit 1
fi

IFS=. read -r major minor _ <<<"$version"
if ((major < min_major || (major == min_major && minor < min_minor))); then
  echo "error: $tf is Terraform $version; version $min_major.$min_minor or later is needed." >&2
  exit 1
fi
