package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMakeRun_freshCloneServesSyncAndKeepsState does what `make run` does on
// a fresh clone (the example mappings, embedded store and bus), asks for the
// sync status with a token from `revhub tokens create`, stops with SIGTERM,
// restarts and finds the state kept.
func TestMakeRun_freshCloneServesSyncAndKeepsState(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "revhub")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	out, err := exec.Command(bin, "tokens", "create", "--mappings", "../../mappings", "--data", data,
		"--tenant", krm, "--role", "finance", "--name", "make run test").Output()
	if err != nil {
		t.Fatalf("tokens create: %v", err)
	}
	token := strings.TrimSpace(string(out))
	for round := 1; round <= 2; round++ {
		url, stop := startServe(t, bin, data)
		for _, p := range []string{"/healthz", "/readyz"} {
			if got := getStatus(t, url+p); got != 200 {
				t.Fatalf("round %d: GET %s = %d", round, p, got)
			}
		}
		req, _ := http.NewRequest("GET", url+"/v1/sync", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var rep SyncReport
		err = json.NewDecoder(res.Body).Decode(&rep)
		res.Body.Close()
		if res.StatusCode != 200 || err != nil || rep.Tenant != krm || find(rep, "gl_export/dynamics_odata") == nil || find(rep, "einvoice/zugferd") == nil {
			t.Fatalf("round %d (token kept across restart): GET /v1/sync = %d %v %+v", round, res.StatusCode, err, rep)
		}
		stop()
	}
}

// startServe starts `revhub serve` on the example mappings and returns its
// URL and a function that stops it with SIGTERM and checks it exits 0.
func startServe(t *testing.T, bin, data string) (string, func()) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--mappings", "../../mappings", "--data", data, "--addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		cmd.Process.Kill()
		t.Fatalf("no start-up line:\n%s", stderr.String())
	}
	url := baseURL(lines.Text())
	go io.Copy(io.Discard, stdout)
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return url, func() {
		stopped = true
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
			cmd.Process.Kill()
			t.Fatal("no exit 30 s after SIGTERM")
		}
	}
}
