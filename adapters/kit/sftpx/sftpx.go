// Package sftpx is SFTP client plumbing for adapters: pkg/sftp over
// golang.org/x/crypto/ssh with the server's host key pinned (never trusted on
// first use), password or key auth, one deadline for a whole session, and
// errors classified into ports kinds.
package sftpx

import (
	"bytes"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/revhub/revhub/ports"
)

// ErrHostKeyMismatch reports a server whose host key is not the pinned one.
var ErrHostKeyMismatch = errors.New("sftpx: server host key does not match the pinned key")

// Config says where to connect and how to prove who we are.
type Config struct {
	Addr       string        // host:port
	User       string        //
	HostKey    string        // pinned key: an authorized_keys line ("ssh-ed25519 AAAA...") or "SHA256:<base64>"
	Password   []byte        // resolved secret; may be empty
	PrivateKey []byte        // resolved PEM/OpenSSH private key; may be empty
	Timeout    time.Duration // budget for the whole session, from dial to close
}

// CheckHostKey validates the form of a pinned host key.
func CheckHostKey(spec string) error {
	_, err := pinned(spec)
	return err
}

// pinned returns a callback that accepts only the key spec names.
func pinned(spec string) (ssh.HostKeyCallback, error) {
	spec = strings.TrimSpace(spec)
	if fp, ok := strings.CutPrefix(spec, "SHA256:"); ok && fp != "" && !strings.ContainsAny(fp, " \t") {
		return func(_ string, _ net.Addr, key ssh.PublicKey) error {
			if subtle.ConstantTimeCompare([]byte(ssh.FingerprintSHA256(key)), []byte(spec)) != 1 {
				return fmt.Errorf("%w: got %s", ErrHostKeyMismatch, ssh.FingerprintSHA256(key))
			}
			return nil
		}, nil
	}
	want, _, _, _, err := ssh.ParseAuthorizedKey([]byte(spec))
	if err != nil {
		return nil, errors.New(`want an authorized_keys line ("ssh-ed25519 AAAA...") or a "SHA256:..." fingerprint`)
	}
	wire := want.Marshal()
	return func(_ string, _ net.Addr, key ssh.PublicKey) error {
		if !bytes.Equal(key.Marshal(), wire) {
			return fmt.Errorf("%w: got %s", ErrHostKeyMismatch, ssh.FingerprintSHA256(key))
		}
		return nil
	}, nil
}

// Session is one connected SFTP client. Close it.
type Session struct {
	*sftp.Client
	ssh  *ssh.Client
	conn net.Conn
	stop func() bool
}

// Dial connects, verifies the pinned host key and authenticates. Errors are
// *ports.Error: Permission for a host key mismatch or refused credentials,
// Invalid for unusable settings, Transient otherwise (nothing was sent).
func Dial(ctx context.Context, op string, c Config) (*Session, error) {
	hostKey, err := pinned(c.HostKey)
	if err != nil {
		return nil, ports.E(op, ports.Invalid, fmt.Errorf("host_key: %w", err))
	}
	var auth []ssh.AuthMethod
	if len(c.PrivateKey) > 0 {
		signer, err := ssh.ParsePrivateKey(c.PrivateKey)
		if err != nil {
			return nil, ports.E(op, ports.Invalid, errors.New("private key: cannot parse (want PEM or OpenSSH format, unencrypted)"))
		}
		auth = append(auth, ssh.PublicKeys(signer))
	}
	if len(c.Password) > 0 {
		auth = append(auth, ssh.Password(string(c.Password)))
	}
	deadline := time.Now().Add(c.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	conn, err := (&net.Dialer{Deadline: deadline}).DialContext(ctx, "tcp", c.Addr)
	if err != nil {
		return nil, ports.E(op, ports.Transient, fmt.Errorf("dial %s: %w", c.Addr, err))
	}
	_ = conn.SetDeadline(deadline) // one budget for handshake and every transfer after it
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	sc, chans, reqs, err := ssh.NewClientConn(conn, c.Addr, &ssh.ClientConfig{
		User: c.User, Auth: auth, HostKeyCallback: hostKey, Timeout: c.Timeout,
	})
	if err != nil {
		stop()
		conn.Close()
		return nil, ports.E(op, handshakeKind(err), fmt.Errorf("ssh handshake with %s: %w", c.Addr, err))
	}
	client := ssh.NewClient(sc, chans, reqs)
	sf, err := sftp.NewClient(client)
	if err != nil {
		stop()
		client.Close()
		return nil, ports.E(op, ports.Transient, fmt.Errorf("start sftp on %s: %w", c.Addr, err))
	}
	return &Session{Client: sf, ssh: client, conn: conn, stop: stop}, nil
}

func handshakeKind(err error) ports.Kind {
	if errors.Is(err, ErrHostKeyMismatch) || strings.Contains(err.Error(), "unable to authenticate") {
		return ports.Permission
	}
	return ports.Transient
}

// Close ends the session.
func (s *Session) Close() error {
	s.stop()
	s.Client.Close()
	return s.ssh.Close()
}

// Answered reports whether err is the server's definite answer (a status
// reply) rather than a lost connection or timeout, where the server may or
// may not have acted.
func Answered(err error) bool {
	var st *sftp.StatusError
	if errors.As(err, &st) {
		return st.FxCode() != sftp.ErrSSHFxConnectionLost && st.FxCode() != sftp.ErrSSHFxNoConnection
	}
	return errors.Is(err, os.ErrNotExist) || errors.Is(err, os.ErrPermission)
}

// ReadAll reads a remote file, at most limit bytes.
func (s *Session) ReadAll(name string, limit int64) ([]byte, error) {
	f, err := s.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}
