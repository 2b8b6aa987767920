package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/revhub/revhub/ports"
)

// Capture keeps every inbound payload it applies as an artifact. A batch's
// payloads of one (tenant, org) are kept together as one FHIR NDJSON pack
// (one resource or Bundle per line), named "<pack>:<line>" per payload: one
// stored row per batch instead of one per event, which the store compresses
// as a whole. A lone payload is kept as it came, under its own hash.
const (
	MediaFHIRJSON   = "application/fhir+json"
	MediaFHIRNDJSON = "application/fhir+ndjson"
)

// artifactID names an inbound payload or pack by its SHA-256.
func artifactID(sum [sha256.Size]byte) string { return contentID("in-", sum) }

// contentID names content by its SHA-256: a three-letter prefix ("in-",
// "tr-") and the first 16 bytes in hex.
func contentID(prefix string, sum [sha256.Size]byte) string {
	var id [3 + 32]byte
	copy(id[:], prefix)
	hex.Encode(id[3:], sum[:16])
	return string(id[:])
}

// archive names, in outs, the artifact that keeps each valid envelope and
// queues the artifacts to write. Envelopes already archived (a replay) keep
// the artifact they name.
func (b *batch) archive(envs []Envelope, outs []Outcome) {
	groups := make(map[tenantOrg][]int, 1)
	var order []tenantOrg
	for i, e := range envs {
		if outs[i].Err != nil {
			continue
		}
		if e.Artifact != "" {
			outs[i].Artifact = e.Artifact
			continue
		}
		k := tenantOrg{e.Tenant, e.Org}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	b.arts = make([]ports.Artifact, 0, len(order))
	for _, k := range order {
		idx := groups[k]
		a := ports.Artifact{Tenant: k.tenant, Org: k.org, Direction: ports.Inbound, CreatedAt: b.now}
		if len(idx) == 1 {
			e := envs[idx[0]]
			a.MediaType, a.Body, a.Source = MediaFHIRJSON, e.Payload, e.Source
		} else {
			a.MediaType, a.Body, a.Source = MediaFHIRNDJSON, b.pack(envs, idx), packSource(envs, idx)
		}
		a.SHA256 = sha256.Sum256(a.Body)
		a.ID = artifactID(a.SHA256)
		b.arts = append(b.arts, a)
		for line, i := range idx {
			outs[i].Artifact = a.ID
			if len(idx) > 1 {
				outs[i].Artifact = a.ID + ":" + strconv.Itoa(line+1)
			}
		}
	}
}

// pack joins the payloads of envs[idx] as NDJSON, in a buffer the batch
// hands back when it is done. A raw line break in a valid JSON payload can only be whitespace
// between tokens: it becomes a space, so that each payload is one line.
func (b *batch) pack(envs []Envelope, idx []int) []byte {
	n := 0
	for _, i := range idx {
		n += len(envs[i].Payload) + 1
	}
	body := batchBufs.Get(n)
	for _, i := range idx {
		p := envs[i].Payload
		start := len(body)
		body = append(body, p...)
		if bytes.IndexByte(p, '\n') >= 0 || bytes.IndexByte(p, '\r') >= 0 {
			for j := start; j < len(body); j++ {
				if body[j] == '\n' || body[j] == '\r' {
					body[j] = ' '
				}
			}
		}
		body = append(body, '\n')
	}
	b.bufs = append(b.bufs, body)
	return body
}

// packSource says where a pack's payloads came from: their common source,
// or the first and last with the count.
func packSource(envs []Envelope, idx []int) string {
	first, last := envs[idx[0]].Source, envs[idx[len(idx)-1]].Source
	for _, i := range idx {
		if envs[i].Source != first {
			return fmt.Sprintf("%s .. %s (%d payloads)", first, last, len(idx))
		}
	}
	return first
}

// archived is one payload kept in an artifact: the whole body of a lone
// payload, or one line of a pack.
type archived struct {
	ref     string // "<artifact>" or "<pack>:<line>"
	payload []byte
}

// payloads returns what an artifact reference names: line `line` of a pack
// (1-based), every line of a pack when line is 0, or a lone payload.
func payloads(a ports.Artifact, ref string, line int) ([]archived, error) {
	if a.MediaType != MediaFHIRNDJSON {
		if line != 0 {
			return nil, fmt.Errorf("artifact %s is one payload (%s), not a pack: name it without a line", a.ID, a.MediaType)
		}
		return []archived{{ref: ref, payload: a.Body}}, nil
	}
	var out []archived
	rest := a.Body
	for n := 1; len(rest) > 0; n++ {
		p, tail, _ := bytes.Cut(rest, []byte{'\n'})
		rest = tail
		if line == 0 || line == n {
			out = append(out, archived{ref: a.ID + ":" + strconv.Itoa(n), payload: p})
		}
		if line == n {
			return out, nil
		}
	}
	if line != 0 {
		return nil, fmt.Errorf("pack %s has no line %d", a.ID, line)
	}
	return out, nil
}

// splitRef splits an artifact reference into the artifact id and the line
// of a pack (0 for none).
func splitRef(ref string) (id string, line int, err error) {
	id, l, ok := strings.Cut(ref, ":")
	if !ok {
		return ref, 0, nil
	}
	line, err = strconv.Atoi(l)
	if err != nil || line < 1 {
		return "", 0, fmt.Errorf("artifact reference %q: want <artifact> or <pack>:<line> with a line from 1", ref)
	}
	return id, line, nil
}
