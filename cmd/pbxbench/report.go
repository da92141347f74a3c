package main

import (
	"fmt"
	"strings"
	"time"
)

// report is everything BENCHMARKS.md shows.
type report struct {
	machine    machine
	command    string
	label      string
	runs       int
	rows       []row
	startup    []startupRow
	goBench    string // result lines; empty when not run or none found
	goBenchRan bool
	took       time.Duration
}

func (r report) markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("# Benchmarks")
	p("")
	p("What the pbx provider adds to `terraform plan`, measured against simulated PBXs over HTTPS and")
	p("against Terraform's own floor. `make bench` writes it; this copy came from:")
	p("")
	p("```sh\n%s\n```", r.command)
	p("")
	p("Provider measured: %s. The run took %s.", r.label, r.took.Round(time.Second))
	p("")
	r.writeMachine(p)
	r.writeMethod(p)
	r.writePlanTable(p)
	r.writeStartup(p)
	r.writeTargets(p)
	r.writeGoBenchmarks(p)
	return b.String()
}

type printer func(format string, args ...any)

func (r report) writeMachine(p printer) {
	m := r.machine
	p("## Machine")
	p("")
	p("- CPUs (`nproc`): %d%s", m.cpus, parenthesised(m.cpuModel))
	p("- Memory: %s", m.memory)
	p("- System: %s", m.system)
	p("- Go: %s", m.goVersion)
	p("- Terraform: %s", m.terraformVersion)
	p("- Load average (1, 5, 15 min) before and after the run: %s; %s. The machine may be shared, so", m.loadBefore, m.loadAfter)
	p("  compare A with B in one row (measured side by side) rather than rows with each other.")
	p("")
}

func parenthesised(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

func (r report) writeMethod(p printer) {
	p("## Method")
	p("")
	p("- **A** is `terraform %s` of a configuration with N `pbx_certificates` blocks, the provider", strings.Join(planArgs, " "))
	p("  found through `dev_overrides` (no `terraform init`), with Terraform's default parallelism of 10.")
	p("- **B**, the floor, is the same configuration with every data source replaced by a `local` holding")
	p("  the values the data source would read, so Terraform evaluates the same data and starts no provider.")
	p("  Both sides feed every block into one output; the values on B are exactly what A reads.")
	var sets []string
	for _, s := range idSets {
		sets = append(sets, hclList(s))
	}
	p("- Block *i* asks for the IDs `%s`[*i* mod 5]: five distinct sets that cover a full PBX, so with", strings.Join(sets, ", "))
	p("  N = 10 or 100 every set is asked for by 2 or 20 blocks. The floor for requests is therefore")
	p("  1 login + min(N, 5) queries + 1 revoke per PBX.")
	p("- Each PBX is the in-process simulator (`internal/pbxsim`) over HTTPS on loopback, holding 23")
	p("  certificates (3 server, 20 trusted). It closes the connection after every answer, as the PBX does,")
	p("  so every request opens a connection and makes a TLS handshake. The latency is applied to every HTTP")
	p("  request before the simulator processes it (`SetLatency`); TCP and TLS handshakes are not delayed,")
	p("  so a round trip (RTT) below means one request.")
	p("- The fleet row has 10 provider aliases, one per simulated PBX, with 10 blocks each (100 in all).")
	p("- The token-cache rows plan one block at 50 ms; \"warm\" sets `PBX_TOKEN_CACHE_DIR` and fills it with")
	p("  an untimed plan first. A provider without `token_cache_dir` ignores the variable.")
	p("- Every row runs %d × A and B, alternating which goes first; the first row starts with an untimed", r.runs)
	p("  pair. Times are medians of wall time, from starting `terraform` to its exit.")
	p("- Requests and TLS handshakes come from the simulators' counters over each A plan. Peak RSS and")
	p("  the provider's CPU time come from `getrusage` of every provider process, taken by a small wrapper")
	p("  (`cmd/pbxbench/internal/usagewrapper`) that `dev_overrides` points at; it runs the provider as a")
	p("  child, which adds one fork and exec per provider process to side A. Terraform's CPU time includes")
	p("  the provider processes it waited for. On a machine with few cores, CPU time is wall time.")
	p("")
}

func (r report) writePlanTable(p printer) {
	p("## Plan time")
	p("")
	p("| Configuration | A: plan | B: floor | A/B | A − B | A ÷ (B + 3 RTT) | CPU A (pbx) / B | Requests per plan (floor) | Login + queries + revoke | Full / resumed TLS per plan | pbx processes per plan | Peak RSS |")
	p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, row := range r.rows {
		a, b := median(row.planA), median(row.planB)
		last := row.plans[len(row.plans)-1]
		p("| %s | %s | %s | %.2f× | %s | %.2f× | %s (%s) / %s | %s (%d) | %d + %d + %d | %s / %s | %s | %s |",
			row.name, msText(a), msText(b), ratio(a, b), msText(a-b), ratio(a, b+row.roundTrips(3)),
			msText(median(row.cpuA)), msText(median(row.providerCPU)), msText(median(row.cpuB)),
			spanText(row.of(func(c counts) int { return c.requests })), row.floorRequests(),
			last.logins, last.queries, last.revokes,
			spanText(row.of(func(c counts) int { return c.fullTLS })), spanText(row.of(func(c counts) int { return c.resumedTLS })),
			spanText(row.processes), mibText(row.peakRSSKiB()))
	}
	p("")
	p("Login + queries + revoke are from the last A plan. \"pbx processes\" counts every start of the")
	p("provider binary during one plan: Terraform starts one per provider configuration to plan, and more")
	p("to read the schema and validate. CPU is user + system time of `terraform` and the processes it")
	p("waited for; the part in parentheses is the pbx provider's own.")
	p("")
	p("<details><summary>Every run, in milliseconds</summary>")
	p("")
	p("| Configuration | A | B |")
	p("|---|---|---|")
	for _, row := range r.rows {
		p("| %s | %s | %s |", row.name, runsText(row.planA), runsText(row.planB))
	}
	p("")
	p("</details>")
	p("")
}

func (r report) writeStartup(p printer) {
	p("## Start-up")
	p("")
	p("The pbx provider (A) beside an empty terraform-plugin-framework provider with no arguments, data")
	p("sources or resources (B, `cmd/pbxbench/internal/emptyprovider`), both built the same way from this")
	p("module. *start + GetProviderSchema* starts the binary the way Terraform does (go-plugin handshake)")
	p("and times until the schema answer arrives; *terraform providers schema -json* is the same through")
	p("Terraform, for a configuration that needs only that provider. Alternating, medians.")
	p("")
	p("| Measure | Runs each | A: pbx | B: empty provider | A/B | Peak RSS A / B |")
	p("|---|---:|---:|---:|---:|---:|")
	for _, s := range r.startup {
		a, b := median(s.pbx), median(s.empty)
		p("| %s | %d | %s | %s | %.2f× | %s / %s |", s.name, len(s.pbx), msText(a), msText(b), ratio(a, b), mibText(s.pbxRSSKiB), mibText(s.emptyRSSKiB))
	}
	p("")
}

func (r report) writeGoBenchmarks(p printer) {
	p("## Go benchmarks")
	p("")
	p("Decoding a certificate/query answer of 3 (the vendor's example), 23 (a full PBX) and 1000 synthetic")
	p("certificates through the client's decoder, and converting them to Terraform state (`models`: the")
	p("provider's models; `state`: models set into a `tfsdk.State`, reflection included; `wire`: that state")
	p("encoded for Terraform as the framework does):")
	p("")
	switch {
	case !r.goBenchRan:
		p("Not run (`-go-bench=false`).")
		p("")
		return
	case r.goBench == "":
		p("The measured source tree has none.")
		p("")
		return
	}
	p("```sh\ngo test -run '^$' -bench '%s' -benchmem %s\n```", goBenchPattern, strings.Join(goBenchPackages, " "))
	p("")
	p("```\n%s\n```", r.goBench)
	p("")
}

func msText(d time.Duration) string {
	switch {
	case d < 0:
		return "−" + msText(-d)
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1f ms", ms(d))
	}
	return fmt.Sprintf("%.0f ms", ms(d))
}

func mibText(kib int64) string {
	if kib <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f MiB", float64(kib)/1024)
}

func spanText(ns []int) string {
	lo, hi := span(ns)
	if lo == hi {
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d–%d", lo, hi)
}

func runsText(ds []time.Duration) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = fmt.Sprintf("%.0f", ms(d))
	}
	return strings.Join(s, ", ")
}
