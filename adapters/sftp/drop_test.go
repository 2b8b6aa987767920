package sftp_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/revhub/revhub/adapters/sftp"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/sftpserver"
)

const pwRef, pw = "env:BANK_SFTP_PASSWORD", "s3cret-test-only"

// start runs a bank drop box with an /outbound directory and a Dropper pinned to it.
func start(t *testing.T, edit func(*sftp.Config)) (*sftp.Dropper, *sftpserver.Server) {
	t.Helper()
	srv := sftpserver.Start(t, sftpserver.Options{User: "acme", Password: pw})
	srv.Mkdir(t, "outbound")
	cfg := sftp.Config{Host: srv.Addr, User: "acme", HostKey: srv.HostKeyLine(), PasswordRef: pwRef,
		Dir: "/outbound", Timeout: 5 * time.Second}
	if edit != nil {
		edit(&cfg)
	}
	d, err := sftp.New(cfg, testharness.Deps(t, pwRef, pw))
	if err != nil {
		t.Fatal(err)
	}
	return d, srv
}

var payload = []byte("101 23138010411234567892601150430A094101DEST BANK              ACME HEALTH PLAN               \n")

func TestDrop_happyPath(t *testing.T) {
	d, srv := start(t, nil)
	r, err := d.Drop(context.Background(), "run-1_ab12cd34.ach", payload, "run-1_ab12cd34")
	if err != nil {
		t.Fatal(err)
	}
	if r.Path != "/outbound/run-1_ab12cd34.ach" || r.Existing || !r.DeliveredAt.Equal(testharness.Epoch) {
		t.Fatalf("receipt %+v", r)
	}
	files := srv.Files()
	if len(files) != 1 || !bytes.Equal(files["outbound/run-1_ab12cd34.ach"], payload) {
		t.Fatalf("server holds %v", files)
	}
}

func TestDrop_privateKeyAuthAndFingerprintPin(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := ssh.NewSignerFromKey(priv)
	srv := sftpserver.Start(t, sftpserver.Options{User: "acme", AuthorizedKey: signer.PublicKey()})
	const keyRef = "file:/run/secrets/bank-key"
	d, err := sftp.New(sftp.Config{Host: srv.Addr, User: "acme", HostKey: ssh.FingerprintSHA256(srv.HostKey),
		PrivateKeyRef: keyRef, Dir: ".", Timeout: 5 * time.Second}, testharness.Deps(t, keyRef, string(pem.EncodeToMemory(block))))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Drop(context.Background(), "x.ach", payload, "x"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(srv.Files()["x.ach"], payload) {
		t.Fatalf("server holds %v", srv.Files())
	}
}

func TestDrop_refusesUnpinnedHost(t *testing.T) {
	other := sftpserver.Start(t, sftpserver.Options{Password: pw})
	for _, tc := range []struct {
		name string
		key  string
	}{
		{name: "authorized_keys line of another host", key: other.HostKeyLine()},
		{name: "fingerprint of another host", key: ssh.FingerprintSHA256(other.HostKey)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, srv := start(t, func(c *sftp.Config) { c.HostKey = tc.key })
			_, err := d.Drop(context.Background(), "x.ach", payload, "x")
			if !ports.Is(ports.Permission, err) || !strings.Contains(err.Error(), "host key") {
				t.Fatalf("want Kind Permission naming the host key, got %v", err)
			}
			if len(srv.Ops()) != 0 || len(srv.Files()) != 0 {
				t.Fatalf("something reached the impostor: %v", srv.Ops())
			}
		})
	}
}

func TestDrop_wrongPasswordIsPermission(t *testing.T) {
	srv := sftpserver.Start(t, sftpserver.Options{User: "acme", Password: pw})
	d, err := sftp.New(sftp.Config{Host: srv.Addr, User: "acme", HostKey: srv.HostKeyLine(), PasswordRef: pwRef,
		Dir: ".", Timeout: 5 * time.Second}, testharness.Deps(t, pwRef, "wrong"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Drop(context.Background(), "x.ach", payload, "x"); !ports.Is(ports.Permission, err) {
		t.Fatalf("want Kind Permission, got %v", err)
	}
}

func TestDrop_tempNeverVisibleUnderFinalName(t *testing.T) {
	d, srv := start(t, nil)
	srv.Set(sftpserver.Knobs{Stall: "write"})
	done := make(chan error, 1)
	go func() { _, err := d.Drop(context.Background(), "run-9.ach", payload, "run-9"); done <- err }()
	waitFor(t, func() bool { return hasOp(srv, "put ") })
	for name := range srv.Files() {
		if name == "outbound/run-9.ach" {
			t.Fatal("final name visible while the upload is in progress")
		}
	}
	srv.Release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, op := range srv.Ops() {
		if strings.HasPrefix(op, "put ") && strings.HasSuffix(op, "/run-9.ach") {
			t.Fatalf("final name written directly: %v", srv.Ops())
		}
	}
	if !hasOp(srv, "rename /outbound/.run-9.ach.") && !hasOp(srv, "posix-rename /outbound/.run-9.ach.") {
		t.Fatalf("no rename from a temporary name: %v", srv.Ops())
	}
}

func TestDrop_failureKinds(t *testing.T) {
	big := bytes.Repeat([]byte("622231380104987654321\n"), 5000) // ~110 KB: several write packets
	for _, tc := range []struct {
		name      string
		knobs     sftpserver.Knobs
		body      []byte
		want      ports.Kind
		delivered bool // the final name holds the file afterwards
	}{
		{name: "rename refused", knobs: sftpserver.Knobs{RefuseRename: true}, body: payload, want: ports.Permission},
		{name: "dropped mid-upload", knobs: sftpserver.Knobs{DropAfterBytes: 40_000}, body: big, want: ports.Transient},
		{name: "stalled upload times out", knobs: sftpserver.Knobs{Stall: "write"}, body: payload, want: ports.Transient},
		{name: "dropped as rename arrives", knobs: sftpserver.Knobs{DropBeforeRename: true}, body: payload, want: ports.Unknown},
		{name: "dropped after rename", knobs: sftpserver.Knobs{DropAfterRename: true}, body: payload, want: ports.Unknown, delivered: true},
		{name: "stalled rename times out", knobs: sftpserver.Knobs{Stall: "rename"}, body: payload, want: ports.Unknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, srv := start(t, func(c *sftp.Config) { c.Timeout = time.Second })
			srv.Set(tc.knobs)
			_, err := d.Drop(context.Background(), "f.ach", tc.body, "f")
			if got := ports.KindOf(err); got != tc.want {
				t.Fatalf("kind %v, want %v (err: %v)", got, tc.want, err)
			}
			_, there := srv.Files()["outbound/f.ach"]
			if there != tc.delivered {
				t.Fatalf("final name present = %v, want %v; ops %v", there, tc.delivered, srv.Ops())
			}
		})
	}
}

func TestDrop_unreachableIsTransient(t *testing.T) {
	d, _ := start(t, func(c *sftp.Config) { c.Host = "127.0.0.1:1" })
	if _, err := d.Drop(context.Background(), "x.ach", payload, "x"); !ports.Is(ports.Transient, err) {
		t.Fatalf("want Kind Transient, got %v", err)
	}
}

func TestDrop_rejectsBadNames(t *testing.T) {
	d, _ := start(t, nil)
	for _, name := range []string{"", "../x.ach", ".hidden", "a/b.ach", "with space.ach"} {
		if _, err := d.Drop(context.Background(), name, payload, "k"); !ports.Is(ports.Invalid, err) {
			t.Errorf("%q: want Kind Invalid, got %v", name, err)
		}
	}
}

func TestNew_rejectsUnpinnedConfig(t *testing.T) {
	_, err := sftp.New(sftp.Config{Host: "h", User: "u", PasswordRef: pwRef, Dir: ".", Timeout: time.Second},
		testharness.Deps(t))
	if !ports.Is(ports.Invalid, err) || !strings.Contains(err.Error(), "host_key") {
		t.Fatalf("want host_key required, got %v", err)
	}
	if _, ok := ports.FileDrops.Lookup("sftp"); !ok {
		t.Fatal("sftp is not registered under payout_delivery")
	}
}

func hasOp(s *sftpserver.Server, prefix string) bool {
	for _, op := range s.Ops() {
		if strings.HasPrefix(op, prefix) {
			return true
		}
	}
	return false
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met within 5s")
}
