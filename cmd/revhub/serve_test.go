package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is an io.Writer the test reads while serve writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// baseURL returns the URL from serve's first line, "revhub serving on URL".
func baseURL(line string) string {
	if u, ok := strings.CutPrefix(strings.TrimSpace(line), "revhub serving on "); ok {
		return u
	}
	return ""
}

func getStatus(t *testing.T, url string) int {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

func TestServe_inProcessServesAndShutsDownOnCancel(t *testing.T) {
	for _, tc := range []struct {
		name  string
		flags func(t *testing.T) []string
		store string // as the start-up message names it
	}{
		{"deployment bindings", func(*testing.T) []string { return nil }, "embedded (deployment.yaml)"},
		{"postgres flag", func(t *testing.T) []string { return []string{"--postgres", schemaURL(t)} }, "postgres (external)"},
	} {
		t.Run(tc.name, func(t *testing.T) { testServe(t, tc.flags(t), tc.store) })
	}
}

func testServe(t *testing.T, flags []string, store string) {
	data := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		// No --addr: deployment.yaml's http.httpapi.addr (port 0) applies.
		args := append([]string{"serve", "--data", data, "--mappings", "testdata/serve/mappings"}, flags...)
		done <- run(ctx, args, &stdout, &stderr)
	}()
	var url string
	for deadline := time.Now().Add(20 * time.Second); url == ""; {
		select {
		case rc := <-done:
			t.Fatalf("serve exited %d early:\n%s%s", rc, stdout.String(), stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", stderr.String())
		}
		first, _, _ := strings.Cut(stdout.String(), "\n")
		url = baseURL(first)
	}
	for _, want := range []string{url + "/healthz", url + "/v1/openapi.json", url + "/metrics", "data:    " + data, "store:   " + store, "bus:     nats (deployment.yaml)"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("start-up message lacks %q:\n%s", want, stdout.String())
		}
	}
	for _, path := range []string{"/healthz", "/readyz", "/metrics", "/v1/openapi.json"} {
		if got := getStatus(t, url+path); got != 200 {
			t.Errorf("GET %s = %d", path, got)
		}
	}
	if got := getStatus(t, url+"/v1/whoami"); got != 401 {
		t.Errorf("GET /v1/whoami without a token = %d, want 401", got)
	}
	cancel()
	select {
	case rc := <-done:
		if rc != 0 {
			t.Fatalf("exit %d after cancel:\n%s", rc, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop after cancel")
	}
	if !strings.Contains(stderr.String(), `"msg":"stopped"`) {
		t.Errorf("no clean stop logged:\n%s", stderr.String())
	}
	if _, err := os.Stat(filepath.Join(data, "hub.db")); (err == nil) != (flags == nil) {
		t.Errorf("embedded store file under --data: %v", err)
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("still listening after shutdown")
	}
}

func TestServe_routesAreDocumented(t *testing.T) {
	hf := hubFlags{data: t.TempDir(), mappings: "testdata/serve/mappings"}
	hb, err := hf.open(context.Background(), newLogger(io.Discard), false)
	if err != nil {
		t.Fatal(err)
	}
	defer hb.Close()
	drift, err := newAPI(hb).DocDrift()
	if err != nil || len(drift) > 0 {
		t.Fatalf("adapters/httpapi/openapi.json and the routes serve registers differ: %v\n%s", err, strings.Join(drift, "\n"))
	}
}

func TestServe_badFlagsAreUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		rc   int
	}{
		{"unknown flag", []string{"serve", "--nope"}, 2},
		{"stray argument", []string{"serve", "extra"}, 2},
		{"missing mappings dir", []string{"serve", "--mappings", "/nonexistent/revhub", "--data", t.TempDir()}, 1},
		{"address in use", []string{"serve", "--addr", "256.0.0.1:1", "--data", t.TempDir()}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if rc := run(context.Background(), tc.args, &out, &errb); rc != tc.rc {
				t.Fatalf("exit %d, want %d\n%s", rc, tc.rc, errb.String())
			}
		})
	}
}

// TestServe_binaryExitsZeroOnSIGTERM builds revhub and stops it with a real signal.
func TestServe_binaryExitsZeroOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "revhub")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"))
	cmd.Dir = dir // no ./mappings here: the embedded defaults
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		t.Fatalf("no start-up line:\n%s", stderr.String())
	}
	url := baseURL(lines.Text())
	go io.Copy(io.Discard, stdout)
	if got := getStatus(t, url+"/readyz"); got != 200 {
		t.Fatalf("GET /readyz = %d", got)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no exit 30 s after SIGTERM")
	}
}
