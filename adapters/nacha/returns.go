package nacha

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/moov-io/ach"
	"github.com/moov-io/base"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

// MaxReturnFileSize caps what ParseReturns reads: 64 MiB.
const MaxReturnFileSize = 64 << 20

// Notice is one return (addenda 99) or notification of change (addenda 98)
// about an entry we sent, found by its original trace number.
type Notice struct {
	OriginalTrace string       // the trace number of the entry we sent
	Code          string       // "R03" for a return, "C01" for a change
	Reason        string       // the code's short reason, empty when the code is unknown
	CorrectedData string       // notifications of change: the corrected value
	Return        bool         // true for a return, false for a notification of change
	Amount        money.Amount // USD; zero for notifications of change
}

// ParseReturns reads a bank's return or NOC file and lists its notices in
// file order. It never panics; a malformed file yields *ports.ParseError
// naming the line and record.
func ParseReturns(name string, r io.Reader) (notices []Notice, err error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxReturnFileSize+1))
	if err != nil {
		return nil, &ports.ParseError{File: name, Err: err}
	}
	if len(data) > MaxReturnFileSize {
		return nil, &ports.ParseError{File: name, Err: fmt.Errorf("file exceeds %d bytes", MaxReturnFileSize)}
	}
	if err := checkASCII(name, data); err != nil {
		return nil, err
	}
	defer func() { // a reader bug must not take the hub down
		if p := recover(); p != nil {
			notices, err = nil, &ports.ParseError{File: name, Err: fmt.Errorf("unreadable NACHA file: %v", p)}
		}
	}()
	rd := ach.NewReader(bytes.NewReader(data))
	rd.SetValidation(&ach.ValidateOpts{BypassOriginValidation: true, BypassDestinationValidation: true, CustomReturnCodes: true})
	f, err := rd.Read()
	if err != nil {
		return nil, parseError(name, err)
	}
	for _, b := range f.Batches {
		for _, e := range b.GetEntries() {
			if n, ok := notice(e); ok {
				notices = append(notices, n)
			}
		}
	}
	return notices, nil
}

// checkASCII refuses any byte but printable ASCII and line ends: NACHA
// records are fixed-width ASCII, and moov counts a record's width in
// characters, so a multi-byte one would shift every field after it.
func checkASCII(name string, data []byte) error {
	n := 0
	for line := range bytes.Lines(data) {
		n++
		line = bytes.TrimRight(line, "\r\n")
		if i := bytes.IndexFunc(line, notPrintable); i >= 0 {
			return &ports.ParseError{File: name, Line: n,
				Err: fmt.Errorf("byte %#02x at column %d: a NACHA record holds printable ASCII only", line[i], i+1)}
		}
	}
	return nil
}

func notice(e *ach.EntryDetail) (Notice, bool) {
	switch {
	case e.Addenda99 != nil:
		a := e.Addenda99
		n := Notice{OriginalTrace: a.OriginalTrace, Code: a.ReturnCode, Return: true,
			Amount: money.MustNew(int64(e.Amount), money.USD)}
		if rc := ach.LookupReturnCode(a.ReturnCode); rc != nil {
			n.Reason = rc.Reason
		}
		return n, true
	case e.Addenda98 != nil:
		a := e.Addenda98
		n := Notice{OriginalTrace: a.OriginalTrace, Code: a.ChangeCode, CorrectedData: a.CorrectedData,
			Amount: money.Zero(money.USD)}
		if cc := ach.LookupChangeCode(a.ChangeCode); cc != nil {
			n.Reason = cc.Reason
		}
		return n, true
	}
	return Notice{}, false
}

// parseError turns moov's first located error into a ports.ParseError.
func parseError(name string, err error) error {
	var list base.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		err = list[0] // moov accumulates; the first one locates the problem
	}
	var pe *base.ParseError
	if errors.As(err, &pe) {
		return &ports.ParseError{File: name, Line: pe.Line, Segment: pe.Record, Err: pe.Err}
	}
	var pv base.ParseError
	if errors.As(err, &pv) {
		return &ports.ParseError{File: name, Line: pv.Line, Segment: pv.Record, Err: pv.Err}
	}
	return &ports.ParseError{File: name, Err: err}
}
