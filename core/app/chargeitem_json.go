package app

import fastjson "github.com/segmentio/encoding/json"

// appendJSON appends v as encoding/json's Marshal writes it, byte for byte
// (HTML characters escaped too), with segmentio/encoding, several times
// faster: capture encodes a charge item per event and a journal per batch.
func appendJSON(b []byte, v any) ([]byte, error) {
	return fastjson.Append(b, v, fastjson.EscapeHTML)
}
