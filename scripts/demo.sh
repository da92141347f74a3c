#!/usr/bin/env bash
# make demo: the provider against the PBX simulator, needing only Go and Terraform.
# Everything it builds or writes lives in one temporary folder, removed on exit.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/require-terraform.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/pbx-demo.XXXXXX")"
sim_pid=""

stop_simulator() {
  if [[ -n "$sim_pid" ]] && kill -0 "$sim_pid" 2>/dev/null; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
    # Its last line counts the logins and the tokens still live on the PBX.
    echo "==> $(tail -n 1 "$work/pbxsim.log" 2>/dev/null)" 2>/dev/null || true
  fi
  sim_pid=""
}
cleanup() {
  trap '' PIPE # a closed stdout must not cut the clean-up short
  stop_simulator
  rm -rf "$work"
}
trap cleanup EXIT
# Turn Ctrl-C, kill and a closed output pipe into a normal exit, so the EXIT trap still cleans up.
trap 'exit 130' INT
trap 'exit 143' TERM HUP
trap 'exit 141' PIPE

echo "==> Building the provider and the simulator"
(
  cd "$repo"
  go build -o "$work/bin/terraform-provider-pbx" .
  go build -o "$work/pbxsim" ./cmd/pbxsim
)

echo "==> Starting the simulator"
# Run the binary itself, not `go run`, so the PID we kill is the simulator's.
"$work/pbxsim" -listen 127.0.0.1:0 -tls \
  -ca-file "$work/pbxsim-ca.pem" -env-file "$work/pbxsim.env" \
  >"$work/pbxsim.log" 2>&1 &
sim_pid=$!

# The simulator writes the env file atomically once it is listening.
for _ in $(seq 1 300); do
  [[ -s "$work/pbxsim.env" ]] && break
  if ! kill -0 "$sim_pid" 2>/dev/null; then
    echo "error: the simulator exited early; its output:" >&2
    cat "$work/pbxsim.log" >&2
    sim_pid=""
    exit 1
  fi
  sleep 0.1
done
if [[ ! -s "$work/pbxsim.env" ]]; then
  echo "error: the simulator wrote no env file within 30 s; its output:" >&2
  cat "$work/pbxsim.log" >&2
  exit 1
fi

# Settings from the caller's shell (say, a real PBX's access_token) must not mix with the
# simulator's, so the provider is configured from the env file alone.
unset PBX_BASE_URL PBX_API_PATH PBX_CLIENT_ID PBX_CLIENT_SECRET PBX_ACCESS_TOKEN \
  PBX_CA_CERT_FILE PBX_INSECURE_SKIP_VERIFY PBX_TIME_ZONE
# shellcheck source=/dev/null
source "$work/pbxsim.env"
echo "    PBX_BASE_URL=$PBX_BASE_URL"
echo "    PBX_CA_CERT_FILE=$PBX_CA_CERT_FILE"

# dev_overrides points Terraform at the fresh binary and needs no `terraform init`
# (init would try to reach the registry).
cat >"$work/terraformrc" <<CFG
provider_installation {
  dev_overrides {
    "pbxops/pbx" = "$work/bin"
  }
  direct {}
}
CFG
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1

# A copy, so no .terraform folder or state file lands in the repository.
cp -R "$repo/examples/demo" "$work/demo"
tf() { terraform -chdir="$work/demo" "$@"; }

echo "==> terraform plan"
tf plan -input=false

echo "==> terraform apply"
tf apply -input=false -auto-approve

echo "==> terraform output"
tf output

stop_simulator
