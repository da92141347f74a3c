#!/usr/bin/env bash
# Scans the module with govulncheck against an offline database built from the golang.org/x/vulndb
# module, since the public database is out of reach here. Fails on findings in third-party modules;
# findings in the Go standard library are reported but only a newer toolchain fixes them.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

VULNDB_VERSION="${VULNDB_VERSION:-v0.0.0-20261105234957-e22db6528018}"
GOVULNCHECK_VERSION=v1.10.0
GO="${GO:-go}"

# Building the database takes about 35 s; keyed by version, a rerun reuses it.
db_root="${XDG_CACHE_HOME:-$HOME/.cache}/pbx-vulndb"
db="$db_root/$VULNDB_VERSION"
if [[ -f "$db/index/db.json" ]]; then
  echo "vulnerability database $VULNDB_VERSION: cached in $db"
else
  echo "vulnerability database $VULNDB_VERSION: building in $db"
  "$GO" mod download "golang.org/x/vulndb@$VULNDB_VERSION"
  osv="$("$GO" env GOMODCACHE)/golang.org/x/vulndb@$VULNDB_VERSION/data/osv"
  mkdir -p "$db_root"
  # Built aside and moved in whole, so an interrupted build is never taken for a cached one.
  tmp="$(mktemp -d "$db_root/.build.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  "$GO" run "golang.org/x/vulndb/cmd/indexdb@$VULNDB_VERSION" -vulns "$osv" -out "$tmp/db"
  rm -rf "$db"
  mv "$tmp/db" "$db"
fi

gobin="$("$GO" env GOBIN)"
[[ -n "$gobin" ]] || gobin="$("$GO" env GOPATH)/bin"
govulncheck="$gobin/govulncheck"
if [[ -x "$govulncheck" ]] &&
  "$GO" version -m "$govulncheck" 2>/dev/null |
  grep -Eq "^[[:space:]]+mod[[:space:]]+golang.org/x/vuln[[:space:]]+$GOVULNCHECK_VERSION([[:space:]]|$)"; then
  :
else
  echo "installing govulncheck $GOVULNCHECK_VERSION"
  GOBIN="$gobin" "$GO" install "golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work" "${tmp:-}"' EXIT
# -format json exits 0 whatever it finds; the verdict below is ours.
"$govulncheck" -db "file://$db" -format json ./... >"$work/findings.json"

# A small Go program reads the findings, so the script needs nothing beyond Go itself.
cat >"$work/verdict.go" <<'GO'
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

type frame struct {
	Module   string `json:"module"`
	Version  string `json:"version"`
	Package  string `json:"package"`
	Function string `json:"function"`
	Receiver string `json:"receiver"`
}

type message struct {
	OSV *struct {
		ID      string `json:"id"`
		Summary string `json:"summary"`
	} `json:"osv"`
	Finding *struct {
		OSV          string  `json:"osv"`
		FixedVersion string  `json:"fixed_version"`
		Trace        []frame `json:"trace"`
	} `json:"finding"`
}

// finding is one vulnerability in one module, at the deepest level govulncheck reached.
type finding struct {
	id, module, version, fixed, level, where string
}

var depth = map[string]int{"module": 0, "package": 1, "symbol": 2}

func main() {
	summaries := map[string]string{}
	found := map[string]*finding{}
	dec := json.NewDecoder(os.Stdin)
	for {
		var m message
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			fmt.Fprintln(os.Stderr, "vuln: cannot read govulncheck's output:", err)
			os.Exit(2)
		}
		if m.OSV != nil {
			summaries[m.OSV.ID] = m.OSV.Summary
		}
		if m.Finding == nil || len(m.Finding.Trace) == 0 {
			continue
		}
		top := m.Finding.Trace[0]
		f := finding{id: m.Finding.OSV, module: top.Module, version: top.Version, fixed: m.Finding.FixedVersion, level: "module"}
		switch {
		case top.Function != "":
			f.level = "symbol"
			f.where = top.Package + "." + strings.TrimPrefix(top.Receiver+".", ".") + top.Function
		case top.Package != "":
			f.level = "package"
			f.where = top.Package
		}
		key := f.id + " " + f.module
		if old, ok := found[key]; !ok || depth[f.level] > depth[old.level] {
			found[key] = &f
		}
	}

	list := make([]*finding, 0, len(found))
	for _, f := range found {
		list = append(list, f)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].module != list[j].module {
			return list[i].module < list[j].module
		}
		return list[i].id < list[j].id
	})
	describe := map[string]string{
		"symbol":  "called from this module",
		"package": "imported, not called",
		"module":  "required, not imported",
	}
	failed := 0
	for _, f := range list {
		kind := "third-party"
		if f.module == "stdlib" || f.module == "toolchain" {
			kind = "standard library (fix: a newer Go)"
		} else {
			failed++
		}
		fixed := f.fixed
		if fixed == "" {
			fixed = "no fixed version"
		}
		fmt.Printf("%s  %s@%s  fixed in %s  [%s; %s]\n    %s\n", f.id, f.module, f.version, fixed, kind, describe[f.level], summaries[f.id])
		if f.where != "" {
			fmt.Printf("    reached: %s\n", f.where)
		}
	}
	fmt.Printf("\n%d finding(s): %d in third-party modules, %d in the standard library.\n", len(list), failed, len(list)-failed)
	if failed > 0 {
		fmt.Println("FAIL: upgrade the third-party modules above to their fixed versions.")
		os.Exit(1)
	}
}
GO
(cd "$work" && "$GO" run verdict.go) <"$work/findings.json"
