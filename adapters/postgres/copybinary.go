package postgres

import (
	"bytes"
	"context"
	"encoding/binary"

	"github.com/jackc/pgx/v5"
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
// is a few hundred kilobytes, which a fresh allocation would clear and
// fault in page by page. (A sync.Pool would drop them at each collection,
// about once per capture batch.)
var copyBufs = make(chan *binaryCopy, 4)

// newBinaryCopy starts a stream; release returns it to copyBufs.
func newBinaryCopy() *binaryCopy {
	var c *binaryCopy
	select {
	case c = <-copyBufs:
	default:
		c = new(binaryCopy)
	}
	c.buf = append(c.buf[:0], pgcopySignature...)
	c.buf = binary.BigEndian.AppendUint64(c.buf, 0)
	return c
}

// release returns c's buffer for another stream; c must not be used again.
func (c *binaryCopy) release() {
	if cap(c.buf) > maxPooledCopy {
		return // left to the collector
	}
	select {
	case copyBufs <- c:
	default:
	}
}

// maxPooledCopy bounds the buffers kept.
const maxPooledCopy = 8 << 20

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
