package sftp_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/revhub/revhub/adapters/kit/sftpx"
	"github.com/revhub/revhub/adapters/sftp"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/sftpserver"
)

var benchBody = bytes.Repeat([]byte("6"), 1<<20)

// BenchmarkDrop_1MiB is a full delivery (dial, stat, temp upload, rename) of
// 1 MiB over loopback. Compare with BenchmarkReference_rawUpload_1MiB.
func BenchmarkDrop_1MiB(b *testing.B) {
	srv := sftpserver.Start(b, sftpserver.Options{Password: pw})
	d, err := sftp.New(sftp.Config{Host: srv.Addr, User: "u", HostKey: srv.HostKeyLine(), PasswordRef: pwRef,
		Dir: ".", Timeout: 10 * time.Second}, testharness.Deps(b, pwRef, pw))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(benchBody)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, err := d.Drop(context.Background(), fmt.Sprintf("f%d.ach", i), benchBody, fmt.Sprint(i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReference_rawUpload_1MiB dials and writes the same bytes straight
// to a final name: no idempotency check, no temporary name, no rename.
func BenchmarkReference_rawUpload_1MiB(b *testing.B) {
	srv := sftpserver.Start(b, sftpserver.Options{Password: pw})
	cfg := sftpx.Config{Addr: srv.Addr, User: "u", HostKey: srv.HostKeyLine(), Password: []byte(pw), Timeout: 10 * time.Second}
	b.SetBytes(int64(len(benchBody)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		s, err := sftpx.Dial(context.Background(), "bench", cfg)
		if err != nil {
			b.Fatal(err)
		}
		f, err := s.OpenFile(fmt.Sprintf("/f%d.ach", i), os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.Write(benchBody); err != nil {
			b.Fatal(err)
		}
		f.Close()
		s.Close()
	}
}
