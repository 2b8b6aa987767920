package en16931_test

import (
	"bytes"

	"github.com/revhub/revhub/zones/eu/en16931"
)

func reformatCII(b []byte) ([]byte, error) {
	inv, p, err := en16931.ParseCII(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return en16931.AppendCII(nil, inv, p), nil
}

func reformatUBL(b []byte) ([]byte, error) {
	inv, p, err := en16931.ParseUBL(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return en16931.AppendUBL(nil, inv, p), nil
}
