// Command pbxsim serves the PBX simulator on a loopback address, for `make demo` and manual use.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "pbxsim:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("pbxsim", flag.ContinueOnError)
	listen := flags.String("listen", "127.0.0.1:0", "loopback `address` to listen on (port 0 picks a free one)")
	useTLS := flags.Bool("tls", false, "serve HTTPS with a freshly generated certificate for 127.0.0.1, ::1 and localhost")
	caFile := flags.String("ca-file", "", "with -tls: write the CA certificate (PEM) to this `path`")
	envFile := flags.String("env-file", "", "write shell export lines (PBX_BASE_URL, PBX_CLIENT_ID, ...) to this `path` once listening")
	latency := flags.Duration("latency", 0, "delay before every answer")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", flags.Args())
	}
	if *caFile != "" && !*useTLS {
		return errors.New("-ca-file needs -tls")
	}
	if *latency < 0 {
		return errors.New("-latency must not be negative")
	}
	// The simulator accepts well-known credentials, so it must never be reachable from elsewhere.
	if err := checkLoopback(*listen); err != nil {
		return err
	}

	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", *listen)
	if err != nil {
		return err
	}
	defer ln.Close()
	if err := checkLoopback(ln.Addr().String()); err != nil {
		return err
	}

	sim := pbxsim.New()
	sim.SetLatency(*latency)
	scheme := "http"
	if *useTLS {
		cfg, caPEM, err := pbxsim.NewLoopbackTLS()
		if err != nil {
			return fmt.Errorf("generating the TLS certificate: %w", err)
		}
		if *caFile != "" {
			if err := writeAtomically(*caFile, caPEM); err != nil {
				return err
			}
		}
		ln = tls.NewListener(ln, cfg)
		scheme = "https"
	}
	baseURL := scheme + "://" + ln.Addr().String()

	// The env file comes last: once it exists, everything it names is ready.
	if *envFile != "" {
		if err := writeAtomically(*envFile, envLines(baseURL, *caFile)); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "pbxsim listening on %s\n", baseURL)
	fmt.Fprintf(stdout, "  base_url      = %s\n", baseURL)
	fmt.Fprintf(stdout, "  client_id     = %s\n", pbxsim.DefaultClientID)
	fmt.Fprintf(stdout, "  client_secret = %s\n", pbxsim.DefaultClientSecret)
	if *caFile != "" {
		fmt.Fprintf(stdout, "  ca_cert_file  = %s\n", *caFile)
	}

	// Cancelled at shutdown, so requests held by -latency end at once.
	requests, cancelRequests := context.WithCancel(context.Background())
	defer cancelRequests()
	srv := &http.Server{
		Handler:           dropUnanswered(sim, requests),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return requests },
	}
	// The PBX closes the connection after every answer; so does the simulator.
	srv.SetKeepAlivesEnabled(false)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	stop() // a second signal kills the process the usual way
	cancelRequests()

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close()
	}
	stats := sim.Stats()
	fmt.Fprintf(stdout, "pbxsim stopped: %d logins, %d failed logins, %d revoked, %d live tokens left\n",
		stats.Logins, stats.FailedLogins, stats.Revokes, stats.LiveTokens)
	return nil
}

// dropUnanswered closes the connection of a request the simulator left
// unanswered at shutdown; net/http would otherwise send an empty 200.
func dropUnanswered(h http.Handler, requests context.Context) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &writeTracker{ResponseWriter: w}
		h.ServeHTTP(tw, r)
		if !tw.wrote && requests.Err() != nil {
			panic(http.ErrAbortHandler)
		}
	})
}

type writeTracker struct {
	http.ResponseWriter
	wrote bool
}

func (w *writeTracker) WriteHeader(code int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *writeTracker) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-listen %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-listen %q: only loopback addresses (127.0.0.0/8, ::1, localhost) are allowed, because anyone who reaches the simulator can log in with its fixed credentials", addr)
}

func envLines(baseURL, caFile string) []byte {
	var b strings.Builder
	export := func(name, value string) { fmt.Fprintf(&b, "export %s=%s\n", name, shellQuote(value)) }
	export("PBX_BASE_URL", baseURL)
	export("PBX_CLIENT_ID", pbxsim.DefaultClientID)
	export("PBX_CLIENT_SECRET", pbxsim.DefaultClientSecret)
	if caFile != "" {
		if abs, err := filepath.Abs(caFile); err == nil {
			caFile = abs // the env file may be sourced from another directory
		}
		export("PBX_CA_CERT_FILE", caFile)
	}
	return []byte(b.String())
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// writeAtomically writes through a temporary file in the same directory and
// renames it, so a reader polling for path never sees it half-written.
func writeAtomically(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
