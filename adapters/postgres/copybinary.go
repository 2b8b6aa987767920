package postgres

import (
	"bytes"
	"context"
	"encoding/binary"

	"github.com/jackc/pgx/v5"
	"github.com/revhub/revhub/core/buflist"
)

// binaryCopy builds a COPY … FROM STDIN stream in PostgreSQL's binary
// format, for tables whose columns are text, bytea and bigint: each value
// goes in as its bytes, without pgx's per-value encoding plans and the
// boxing of each value in an interface (capture copies thousands of charge
// items per transaction).
type binaryCopy struct{ buf []byte }

// pgcopySignature opens a binary COPY stream; flags and header extension
// length (two zero int32s) follow it.
const pgcopySignature = "PGCOPY\n\xff\r\n\x00"

// copyBufs keeps streams' buffers between transactions: a batch's stream
// is a few hundred kilobytes.
var copyBufs = buflist.New(4, 8<<20)

// newBinaryCopy starts a stream; release hands its buffer back to copyBufs.
func newBinaryCopy() *binaryCopy {
	c := &binaryCopy{buf: append(copyBufs.Get(0), pgcopySignature...)}
	c.buf = binary.BigEndian.AppendUint64(c.buf, 0)
	return c
}

// release hands c's buffer back; c must not be used again.
func (c *binaryCopy) release() { copyBufs.Put(c.buf) }

// row starts a row of n fields.
func (c *binaryCopy) row(n int) { c.buf = binary.BigEndian.AppendUint16(c.buf, uint16(n)) }

// text appends a text field.
func (c *binaryCopy) text(s string) {
	c.buf = append(binary.BigEndian.AppendUint32(c.buf, uint32(len(s))), s...)
}

// bytes appends a bytea field.
func (c *binaryCopy) bytes(b []byte) {
	c.buf = append(binary.BigEndian.AppendUint32(c.buf, uint32(len(b))), b...)
}

// int8 appends a bigint field.
func (c *binaryCopy) int8(v int64) {
	c.buf = binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint32(c.buf, 8), uint64(v))
}

// send ends the stream and copies it into table's columns.
func (c *binaryCopy) send(ctx context.Context, tx pgx.Tx, table string, cols []string) error {
	c.buf = binary.BigEndian.AppendUint16(c.buf, 0xffff)
	sql := "COPY " + pgx.Identifier{table}.Sanitize() + " ("
	for i, col := range cols {
		if i > 0 {
			sql += ", "
		}
		sql += pgx.Identifier{col}.Sanitize()
	}
	_, err := tx.Conn().PgConn().CopyFrom(ctx, bytes.NewReader(c.buf), sql+") FROM STDIN (FORMAT binary)")
	return err
}
