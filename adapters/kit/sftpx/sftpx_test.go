package sftpx_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/revhub/revhub/adapters/kit/sftpx"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/sftpserver"
)

func TestCheckHostKey(t *testing.T) {
	srv := sftpserver.Start(t, sftpserver.Options{Password: "pw"})
	for _, tc := range []struct {
		name string
		spec string
		ok   bool
	}{
		{name: "authorized_keys line", spec: srv.HostKeyLine(), ok: true},
		{name: "line with comment", spec: srv.HostKeyLine() + " bank-prod", ok: true},
		{name: "fingerprint", spec: ssh.FingerprintSHA256(srv.HostKey), ok: true},
		{name: "empty", spec: ""},
		{name: "bare prefix", spec: "SHA256:"},
		{name: "garbage", spec: "ssh-ed25519 not-base64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := sftpx.CheckHostKey(tc.spec); (err == nil) != tc.ok {
				t.Fatalf("CheckHostKey(%q) = %v", tc.spec, err)
			}
		})
	}
}

func TestDial_hostKeyMismatchIsPermission(t *testing.T) {
	srv := sftpserver.Start(t, sftpserver.Options{Password: "pw"})
	other := sftpserver.Start(t, sftpserver.Options{Password: "pw"})
	_, err := sftpx.Dial(context.Background(), "test.Dial", sftpx.Config{Addr: srv.Addr, User: "u",
		HostKey: other.HostKeyLine(), Password: []byte("pw"), Timeout: 5 * time.Second})
	if !ports.Is(ports.Permission, err) || !errors.Is(err, sftpx.ErrHostKeyMismatch) {
		t.Fatalf("want Permission wrapping ErrHostKeyMismatch, got %v", err)
	}
}

// TestServer_plainRenameNeverOverwrites pins the test server to OpenSSH
// semantics, so clients cannot come to rely on an overwriting rename.
func TestServer_plainRenameNeverOverwrites(t *testing.T) {
	srv := sftpserver.Start(t, sftpserver.Options{Password: "pw"})
	srv.WriteFile(t, "a", []byte("new"))
	srv.WriteFile(t, "b", []byte("old"))
	s, err := sftpx.Dial(context.Background(), "test.Dial", sftpx.Config{Addr: srv.Addr, User: "u",
		HostKey: srv.HostKeyLine(), Password: []byte("pw"), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.Rename("/a", "/b")
	var st *sftp.StatusError
	if !errors.As(err, &st) || !sftpx.Answered(err) {
		t.Fatalf("want a status answer, got %v", err)
	}
	if got := string(srv.Files()["b"]); got != "old" {
		t.Fatalf("target overwritten: %q", got)
	}
	if _, err := s.Stat("/missing"); !errors.Is(err, os.ErrNotExist) || !sftpx.Answered(err) {
		t.Fatalf("stat missing: %v", err)
	}
	if sftpx.Answered(errors.New("connection lost")) || !strings.Contains(srv.HostKeyLine(), "ssh-ed25519") {
		t.Fatal("a lost connection is not an answer")
	}
}
