package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"time"
)

// What terraform-plugin-go's go-plugin handshake expects in the environment.
var pluginEnv = []string{
	"TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
	"PLUGIN_PROTOCOL_VERSIONS=6",
}

// pluginRun is one start of a provider binary, as Terraform does it, up to
// the schema call.
type pluginRun struct {
	handshake   time.Duration // start until the plugin printed its address
	schema      time.Duration // start until GetProviderSchema answered
	schemaBytes int
	rssKiB      int64
}

// startAndAskSchema starts binary as Terraform would, calls
// GetProviderSchema over plain gRPC (no client certificate, so go-plugin
// serves without TLS), and shuts it down.
func startAndAskSchema(ctx context.Context, binary string, env []string) (pluginRun, error) {
	var run pluginRun
	cmd := exec.CommandContext(ctx, binary)
	cmd.Env = append(append([]string{}, env...), pluginEnv...)
	stdout, stdoutW := io.Pipe()
	cmd.Stdout, cmd.Stderr = stdoutW, io.Discard
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return run, err
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait() // only its resource usage matters
		_ = stdoutW.Close()
		close(exited)
	}()
	defer func() { _ = cmd.Process.Kill() }() // a no-op once it has exited

	lines := bufio.NewReader(stdout)
	line, err := lines.ReadString('\n')
	if err != nil {
		return run, fmt.Errorf("%s printed no handshake: %w", binary, err)
	}
	run.handshake = time.Since(start)
	go func() { _, _ = io.Copy(io.Discard, lines) }() // keep the pipe flowing

	// CORE-VERSION|APP-VERSION|NETWORK|ADDRESS|PROTOCOL
	parts := strings.Split(strings.TrimSpace(line), "|")
	if len(parts) < 5 || parts[4] != "grpc" {
		return run, fmt.Errorf("%s: unexpected handshake %q", binary, line)
	}
	conn := h2cClient(parts[2], parts[3])
	defer conn.CloseIdleConnections()
	schema, err := grpcCall(ctx, conn, "/tfplugin6.Provider/GetProviderSchema")
	if err != nil {
		return run, fmt.Errorf("%s: GetProviderSchema: %w", binary, err)
	}
	run.schema = time.Since(start)
	run.schemaBytes = len(schema)

	_, _ = grpcCall(ctx, conn, "/plugin.GRPCController/Shutdown") // the answer may not make it out
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		return run, fmt.Errorf("%s did not exit after Shutdown", binary)
	}
	run.rssKiB = peakRSSKiB(cmd.ProcessState)
	return run, nil
}

// h2cClient speaks HTTP/2 without TLS over the plugin's socket, which is
// all a unary gRPC call needs.
func h2cClient(network, address string) *http.Client {
	var protocols http.Protocols
	protocols.SetUnencryptedHTTP2(true)
	return &http.Client{Transport: &http.Transport{
		Protocols: &protocols,
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, address)
		},
	}}
}

// grpcCall sends an empty request message and returns the answer message.
func grpcCall(ctx context.Context, c *http.Client, method string) ([]byte, error) {
	emptyMessage := make([]byte, 5) // not compressed, length 0
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://plugin"+method, bytes.NewReader(emptyMessage))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/grpc")
	req.Header.Set("TE", "trailers")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	status := resp.Trailer.Get("Grpc-Status")
	if status == "" {
		status = resp.Header.Get("Grpc-Status")
	}
	if status != "0" {
		return nil, fmt.Errorf("gRPC status %q: %s", status, resp.Trailer.Get("Grpc-Message"))
	}
	if len(body) < 5 || int(binary.BigEndian.Uint32(body[1:5])) != len(body)-5 {
		return nil, errors.New("the answer is not one gRPC message")
	}
	return body[5:], nil
}
