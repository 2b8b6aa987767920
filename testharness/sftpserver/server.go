// Package sftpserver is an in-process SFTP server for tests: pkg/sftp's
// request server over golang.org/x/crypto/ssh on 127.0.0.1:0, with its own
// ed25519 host key, password or public-key auth, files rooted in
// t.TempDir(), OpenSSH rename semantics (plain rename never overwrites), and
// knobs that simulate a misbehaving bank gateway.
package sftpserver

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// Options chooses how clients authenticate. At least one must be set.
type Options struct {
	User          string        // required user name; "" accepts any
	Password      string        // accepted password when non-empty
	AuthorizedKey ssh.PublicKey // accepted client key when non-nil
}

// Knobs simulate failures. Change them with Server.Set at any time.
type Knobs struct {
	RefuseRename     bool   // rename and posix-rename answer "permission denied"
	DropAfterBytes   int64  // > 0: drop the connection when a write would pass this offset (mid-upload)
	DropBeforeRename bool   // drop the connection when a rename arrives, without renaming
	DropAfterRename  bool   // perform the rename, then drop the connection instead of answering
	Stall            string // "write" or "rename": block that operation until Release or the end of the test
}

// Server is a running test SFTP server.
type Server struct {
	Addr    string        // 127.0.0.1:port
	HostKey ssh.PublicKey // the server's host key
	Root    string        // the directory served as "/"

	mu      sync.Mutex
	knobs   Knobs
	ops     []string
	conns   map[net.Conn]struct{}
	release chan struct{}
	done    chan struct{}
}

// Start serves a fresh temporary directory until the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), HostKey: signer.PublicKey(), Root: t.TempDir(),
		conns: map[net.Conn]struct{}{}, release: make(chan struct{}), done: make(chan struct{})}
	cfg := s.sshConfig(opts)
	cfg.AddHostKey(signer)
	go s.accept(ln, cfg)
	t.Cleanup(func() {
		close(s.done)
		ln.Close()
		s.mu.Lock()
		for c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
	})
	return s
}

func (s *Server) sshConfig(o Options) *ssh.ServerConfig {
	cfg := &ssh.ServerConfig{}
	userOK := func(m ssh.ConnMetadata) bool { return o.User == "" || m.User() == o.User }
	if o.Password != "" {
		cfg.PasswordCallback = func(m ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if userOK(m) && string(pw) == o.Password {
				return nil, nil
			}
			return nil, errors.New("password rejected")
		}
	}
	if o.AuthorizedKey != nil {
		want := o.AuthorizedKey.Marshal()
		cfg.PublicKeyCallback = func(m ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
			if userOK(m) && string(k.Marshal()) == string(want) {
				return nil, nil
			}
			return nil, errors.New("key rejected")
		}
	}
	return cfg
}

// HostKeyLine returns the host key in authorized_keys format.
func (s *Server) HostKeyLine() string {
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(s.HostKey)))
}

// Set replaces the failure knobs.
func (s *Server) Set(k Knobs) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knobs = k
}

// Release unblocks every stalled operation, now and later.
func (s *Server) Release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.release:
	default:
		close(s.release)
	}
}

// Ops lists the file operations received, in order: "put /out/x.part", "rename /a /b", ...
func (s *Server) Ops() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.ops...)
}

// Files returns every regular file under Root by slash path ("out/x.ach").
func (s *Server) Files() map[string][]byte {
	out := map[string][]byte{}
	_ = filepath.WalkDir(s.Root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(s.Root, p)
		b, _ := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	return out
}

// Mkdir creates a directory (slash path) under Root, as a bank sets up its drop box.
func (s *Server) Mkdir(t testing.TB, dir string) {
	t.Helper()
	if err := os.MkdirAll(s.local(dir), 0o755); err != nil {
		t.Fatal(err)
	}
}

// WriteFile puts a file (slash path) under Root, as if another party had dropped it.
func (s *Server) WriteFile(t testing.TB, name string, body []byte) {
	t.Helper()
	if err := os.WriteFile(s.local(name), body, 0o644); err != nil {
		t.Fatal(err)
	}
}

func (s *Server) local(p string) string {
	return filepath.Join(s.Root, filepath.FromSlash(filepath.Clean("/"+p)))
}

func (s *Server) knob() Knobs {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.knobs
}

func (s *Server) record(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ops = append(s.ops, fmt.Sprintf(format, args...))
}

func (s *Server) stall(op string) {
	if s.knob().Stall != op {
		return
	}
	select {
	case <-s.release:
	case <-s.done:
	}
}

func (s *Server) accept(ln net.Listener, cfg *ssh.ServerConfig) {
	for {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns[nc] = struct{}{}
		s.mu.Unlock()
		go s.serve(nc, cfg)
	}
}

func (s *Server) serve(nc net.Conn, cfg *ssh.ServerConfig) {
	defer func() {
		nc.Close()
		s.mu.Lock()
		delete(s.conns, nc)
		s.mu.Unlock()
	}()
	_, chans, reqs, err := ssh.NewServerConn(nc, cfg)
	if err != nil {
		return
	}
	go ssh.DiscardRequests(reqs)
	for nch := range chans {
		if nch.ChannelType() != "session" {
			_ = nch.Reject(ssh.UnknownChannelType, "session only")
			continue
		}
		ch, in, err := nch.Accept()
		if err != nil {
			continue
		}
		go func() { // accept only the "sftp" subsystem (payload: uint32 length + name)
			for r := range in {
				_ = r.Reply(r.Type == "subsystem" && len(r.Payload) > 4 && string(r.Payload[4:]) == "sftp", nil)
			}
		}()
		h := &handlers{s: s, conn: nc}
		srv := sftp.NewRequestServer(ch, sftp.Handlers{FileGet: h, FilePut: h, FileCmd: h, FileList: h})
		go func() { _ = srv.Serve(); srv.Close() }()
	}
}
