package sftp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path"
	"strings"
	"time"

	"github.com/revhub/revhub/adapters/kit/sftpx"
	"github.com/revhub/revhub/ports"
)

const posixRename = "posix-rename@openssh.com"

// Dropper delivers files to one SFTP drop box. It is safe for concurrent use;
// each Drop opens its own session.
type Dropper struct {
	cfg     Config
	secrets ports.Secrets
	now     func() time.Time
	log     *slog.Logger
}

var _ ports.FileDropper = (*Dropper)(nil)

// New returns a Dropper; secrets are resolved at each Drop, never kept.
func New(cfg Config, deps ports.Deps) (*Dropper, error) {
	if err := cfg.Validate(); err != nil {
		return nil, ports.E("sftp.New", ports.Invalid, err)
	}
	if deps.Secrets == nil {
		return nil, ports.E("sftp.New", ports.Invalid, errors.New("no secret resolver in deps"))
	}
	return &Dropper{cfg: cfg, secrets: deps.Secrets, now: deps.Now, log: deps.Log()}, nil
}

// Drop uploads body to a hidden temporary name in the drop box and renames
// it to name, so the bank's poller sees the whole file or nothing. The
// phase where a failure happens decides its kind: before the rename is sent
// the file certainly did not arrive (Transient); once it is sent, a lost
// connection or timeout leaves the outcome Unknown.
func (d *Dropper) Drop(ctx context.Context, name string, body []byte, key string) (ports.DropReceipt, error) {
	const op = "sftp.Drop"
	if err := checkName(name); err != nil || key == "" {
		return ports.DropReceipt{}, ports.E(op, ports.Invalid, errors.Join(err, requireKey(key)))
	}
	sum := sha256.Sum256(body)
	want := ports.DropReceipt{Key: key, Path: path.Join(d.cfg.Dir, name), SHA256: hex.EncodeToString(sum[:]), Size: int64(len(body))}
	cfg, err := d.session(ctx, op)
	if err != nil {
		return ports.DropReceipt{}, err
	}
	s, err := sftpx.Dial(ctx, op, cfg)
	if err != nil {
		return ports.DropReceipt{}, err
	}
	defer s.Close()

	if r, found, err := d.existing(s, op, want); found || err != nil {
		return r, err
	}
	tmp := path.Join(d.cfg.Dir, "."+name+"."+want.SHA256[:12]+".part")
	if err := upload(s, tmp, body); err != nil {
		_ = s.Remove(tmp) // best effort: the temporary name is never polled
		kind := ports.Transient
		if errors.Is(err, os.ErrPermission) {
			kind = ports.Permission
		}
		return ports.DropReceipt{}, ports.E(op, kind, fmt.Errorf("upload %s: %w", tmp, err))
	}
	if err := rename(s, tmp, want.Path); err != nil {
		return d.afterFailedRename(s, op, tmp, want, err)
	}
	want.DeliveredAt = d.now()
	d.log.Info("payout file delivered", "key", key, "path", want.Path, "sha256", want.SHA256, "size", want.Size)
	return want, nil
}

// existing implements idempotency: the final name already holding the same
// bytes is a success without sending; other bytes are a Conflict.
func (d *Dropper) existing(s *sftpx.Session, op string, want ports.DropReceipt) (ports.DropReceipt, bool, error) {
	fi, err := s.Stat(want.Path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return ports.DropReceipt{}, false, nil
	case err != nil:
		return ports.DropReceipt{}, false, ports.E(op, ports.Transient, fmt.Errorf("stat %s: %w", want.Path, err))
	case fi.Size() != want.Size:
		return ports.DropReceipt{}, false, conflict(op, want, fi.Size())
	}
	got, err := s.ReadAll(want.Path, want.Size+1)
	if err != nil {
		return ports.DropReceipt{}, false, ports.E(op, ports.Transient, fmt.Errorf("read back %s: %w", want.Path, err))
	}
	if sum := sha256.Sum256(got); hex.EncodeToString(sum[:]) != want.SHA256 {
		return ports.DropReceipt{}, false, conflict(op, want, int64(len(got)))
	}
	want.Existing, want.DeliveredAt = true, fi.ModTime()
	d.log.Info("payout file already delivered", "key", want.Key, "path", want.Path, "sha256", want.SHA256)
	return want, true, nil
}

func (d *Dropper) afterFailedRename(s *sftpx.Session, op, tmp string, want ports.DropReceipt, err error) (ports.DropReceipt, error) {
	if !sftpx.Answered(err) {
		d.log.Warn("payout file delivery outcome unknown", "key", want.Key, "path", want.Path, "error", err)
		return ports.DropReceipt{}, ports.E(op, ports.Unknown,
			fmt.Errorf("rename %s to %s sent, no answer: the file may have been delivered: %w", tmp, want.Path, err))
	}
	if errors.Is(err, os.ErrPermission) {
		_ = s.Remove(tmp)
		return ports.DropReceipt{}, ports.E(op, ports.Permission, fmt.Errorf("rename %s to %s refused: %w", tmp, want.Path, err))
	}
	if r, found, e := d.existing(s, op, want); found || e != nil { // the name appeared meanwhile
		_ = s.Remove(tmp)
		return r, e
	}
	_ = s.Remove(tmp)
	return ports.DropReceipt{}, ports.E(op, ports.Transient, fmt.Errorf("rename %s to %s failed: %w", tmp, want.Path, err))
}

func (d *Dropper) session(ctx context.Context, op string) (sftpx.Config, error) {
	c := sftpx.Config{Addr: d.cfg.addr(), User: d.cfg.User, HostKey: d.cfg.HostKey, Timeout: d.cfg.Timeout}
	for _, s := range []struct {
		ref string
		dst *[]byte
	}{{d.cfg.PasswordRef, &c.Password}, {d.cfg.PrivateKeyRef, &c.PrivateKey}} {
		if s.ref == "" {
			continue
		}
		v, err := d.secrets.Resolve(ctx, s.ref)
		if err != nil {
			return c, ports.E(op, ports.KindOf(err), fmt.Errorf("resolve %s: %w", s.ref, err))
		}
		*s.dst = v
	}
	return c, nil
}

func upload(s *sftpx.Session, tmp string, body []byte) error {
	f, err := s.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
	if err != nil {
		return err
	}
	if _, err := f.Write(body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// rename prefers posix-rename (atomic) when the server offers it; the final
// name was checked absent just before, so neither form relies on overwriting.
func rename(s *sftpx.Session, from, to string) error {
	if _, ok := s.HasExtension(posixRename); ok {
		return s.PosixRename(from, to)
	}
	return s.Rename(from, to)
}

func conflict(op string, want ports.DropReceipt, size int64) error {
	return ports.E(op, ports.Conflict, fmt.Errorf("%s exists with other content (%d bytes) than key %s (%d bytes, sha256 %s)",
		want.Path, size, want.Key, want.Size, want.SHA256))
}

func checkName(name string) error {
	if name == "" || strings.ContainsAny(name, "/\\") || strings.HasPrefix(name, ".") ||
		strings.IndexFunc(name, func(r rune) bool { return r <= 0x20 || r > 0x7e }) >= 0 {
		return fmt.Errorf("file name %q: want a plain printable name without / or a leading dot", name)
	}
	return nil
}

func requireKey(key string) error {
	if key == "" {
		return errors.New("idempotency key is required")
	}
	return nil
}
