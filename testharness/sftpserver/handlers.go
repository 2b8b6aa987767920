package sftpserver

import (
	"errors"
	"io"
	"net"
	"os"

	"github.com/pkg/sftp"
)

// handlers serve one connection's requests from Server.Root.
type handlers struct {
	s    *Server
	conn net.Conn // dropped by the failure knobs
}

var errDropped = errors.New("sftpserver: connection dropped by a failure knob")

func (h *handlers) Fileread(r *sftp.Request) (io.ReaderAt, error) {
	h.s.record("get %s", r.Filepath)
	return os.Open(h.s.local(r.Filepath))
}

func (h *handlers) Filewrite(r *sftp.Request) (io.WriterAt, error) {
	h.s.record("put %s", r.Filepath)
	fl := r.Pflags()
	flags := os.O_WRONLY
	if fl.Creat {
		flags |= os.O_CREATE
	}
	if fl.Trunc {
		flags |= os.O_TRUNC
	}
	if fl.Excl {
		flags |= os.O_EXCL
	}
	if fl.Append {
		flags |= os.O_APPEND
	}
	f, err := os.OpenFile(h.s.local(r.Filepath), flags, 0o644)
	if err != nil {
		return nil, err
	}
	return &writer{f: f, h: h}, nil
}

// writer applies the write knobs; the request server closes it via io.Closer.
type writer struct {
	f *os.File
	h *handlers
}

func (w *writer) WriteAt(p []byte, off int64) (int, error) {
	w.h.s.stall("write")
	if lim := w.h.s.knob().DropAfterBytes; lim > 0 && off+int64(len(p)) > lim {
		n := 0
		if off < lim {
			n, _ = w.f.WriteAt(p[:lim-off], off)
		}
		w.h.conn.Close()
		return n, errDropped
	}
	return w.f.WriteAt(p, off)
}

func (w *writer) Close() error { return w.f.Close() }

func (h *handlers) Filecmd(r *sftp.Request) error {
	switch r.Method {
	case "Rename":
		return h.rename(r, false)
	case "Remove":
		h.s.record("remove %s", r.Filepath)
		return os.Remove(h.s.local(r.Filepath))
	case "Mkdir":
		h.s.record("mkdir %s", r.Filepath)
		return os.Mkdir(h.s.local(r.Filepath), 0o755)
	case "Rmdir":
		return os.Remove(h.s.local(r.Filepath))
	case "Setstat":
		return nil
	}
	return sftp.ErrSSHFxOpUnsupported
}

// PosixRename is posix-rename@openssh.com: it replaces an existing target.
func (h *handlers) PosixRename(r *sftp.Request) error { return h.rename(r, true) }

// rename follows OpenSSH: plain SSH_FXP_RENAME fails when the target exists.
func (h *handlers) rename(r *sftp.Request, overwrite bool) error {
	verb := "rename"
	if overwrite {
		verb = "posix-rename"
	}
	h.s.record("%s %s %s", verb, r.Filepath, r.Target)
	h.s.stall("rename")
	k := h.s.knob()
	switch {
	case k.RefuseRename:
		return sftp.ErrSSHFxPermissionDenied
	case k.DropBeforeRename:
		h.conn.Close()
		return errDropped
	}
	from, to := h.s.local(r.Filepath), h.s.local(r.Target)
	if _, err := os.Lstat(to); err == nil && !overwrite {
		return sftp.ErrSSHFxFailure
	}
	if err := os.Rename(from, to); err != nil {
		return err
	}
	if k.DropAfterRename {
		h.conn.Close()
		return errDropped
	}
	return nil
}

func (h *handlers) Filelist(r *sftp.Request) (sftp.ListerAt, error) {
	p := h.s.local(r.Filepath)
	switch r.Method {
	case "List":
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		infos := make(listerAt, 0, len(entries))
		for _, e := range entries {
			if fi, err := e.Info(); err == nil {
				infos = append(infos, fi)
			}
		}
		return infos, nil
	case "Stat", "Lstat":
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		return listerAt{fi}, nil
	}
	return nil, sftp.ErrSSHFxOpUnsupported
}

type listerAt []os.FileInfo

func (l listerAt) ListAt(dst []os.FileInfo, off int64) (int, error) {
	if off >= int64(len(l)) {
		return 0, io.EOF
	}
	n := copy(dst, l[off:])
	if n < len(dst) || off+int64(n) >= int64(len(l)) {
		return n, io.EOF
	}
	return n, nil
}
