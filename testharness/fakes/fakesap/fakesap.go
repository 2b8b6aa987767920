// Package fakesap is a loopback stand-in for SAP's IDoc-XML inbound HTTP
// service: basic auth (401), content type (415), XXE-safe parsing, SAP-style
// status answers (60 syntax, 56 partner profile, 51 application error such
// as an unbalanced document), IDoc numbers, duplicate references answered
// with the first IDoc, a lookup by reference, and outages (503) on demand.
//
// The answer body is the IDOC_STATUS shape sapidoc reads; SAP's own
// service has no agreed body, so that part is the fake's convention.
package fakesap

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/beevik/etree"
)

// Paths the fake serves.
const (
	InboundPath = "/sap/bc/idoc_xml"
	LookupPath  = "/revhub/idoc_status"
	maxBody     = 16 << 20
)

// Server is a running fake. Documents and Down make it a gltest.Probe and
// gltest.Outage.
type Server struct {
	URL            string // base URL
	Endpoint       string // IDoc-XML inbound URL
	Lookup         string // lookup URL: GET ?OBJ_KEY=&OBJ_SYS=
	User, Password string // basic auth credentials it accepts

	mu    sync.Mutex
	docs  [][]byte
	byRef map[string]posted
	seq   int
	down  bool
}

type posted struct{ docNum, arcKey string }

// Start runs a fake on loopback, closed when t ends.
func Start(t testing.TB) *Server {
	s := &Server{User: "REVHUB_IDOC", Password: "s3cret-idoc", byRef: map[string]posted{}}
	mux := http.NewServeMux()
	mux.HandleFunc(InboundPath, s.inbound)
	mux.HandleFunc(LookupPath, s.lookup)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	s.URL, s.Endpoint, s.Lookup = ts.URL, ts.URL+InboundPath+"?sap-client=100", ts.URL+LookupPath
	return s
}

// Documents returns the IDocs accepted so far (duplicates are not stored).
func (s *Server) Documents() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([][]byte, len(s.docs))
	copy(out, s.docs)
	return out
}

// Down answers 503 to everything until restore is called.
func (s *Server) Down() (restore func()) {
	s.mu.Lock()
	s.down = true
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		s.down = false
		s.mu.Unlock()
	}
}

// gate answers outages and bad credentials; it reports whether to go on.
func (s *Server) gate(w http.ResponseWriter, r *http.Request, method string) bool {
	s.mu.Lock()
	down := s.down
	s.mu.Unlock()
	if down {
		http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
		return false
	}
	if r.Method != method {
		w.Header().Set("Allow", method)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return false
	}
	if u, p, ok := r.BasicAuth(); !ok || u != s.User || p != s.Password {
		w.Header().Set("WWW-Authenticate", `Basic realm="SAP NetWeaver Application Server [FAK/100]"`)
		http.Error(w, "Logon failed", http.StatusUnauthorized)
		return false
	}
	return true
}

func (s *Server) inbound(w http.ResponseWriter, r *http.Request) {
	if !s.gate(w, r, http.MethodPost) {
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || (mt != "application/xml" && mt != "text/xml") {
		http.Error(w, "content type must be text/xml or application/xml", http.StatusUnsupportedMediaType)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		return
	}
	d, err := Parse(body)
	if err != nil {
		rej := &Rejection{Status: "60", Text: err.Error()}
		errors.As(err, &rej)
		answer(w, http.StatusBadRequest, "", rej.Status, rej.Text, "", false)
		return
	}
	key := d.ObjSys + "/" + d.ObjKey
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.byRef[key]; ok {
		if p.arcKey != d.ArcKey {
			answer(w, http.StatusConflict, p.docNum, "51", fmt.Sprintf("Reference %s %s already posted with other content (IDoc %s)", d.ObjSys, d.ObjKey, p.docNum), p.arcKey, true)
			return
		}
		answer(w, http.StatusOK, p.docNum, "53", "Document already posted", p.arcKey, true)
		return
	}
	s.seq++
	p := posted{docNum: fmt.Sprintf("%016d", 4700+s.seq), arcKey: d.ArcKey}
	s.byRef[key] = p
	s.docs = append(s.docs, body)
	answer(w, http.StatusOK, p.docNum, "53", "Document posted", p.arcKey, false)
}

func (s *Server) lookup(w http.ResponseWriter, r *http.Request) {
	if !s.gate(w, r, http.MethodGet) {
		return
	}
	q := r.URL.Query()
	s.mu.Lock()
	p, ok := s.byRef[q.Get("OBJ_SYS")+"/"+q.Get("OBJ_KEY")]
	s.mu.Unlock()
	if !ok {
		answer(w, http.StatusNotFound, "", "", "no IDoc for this reference", "", false)
		return
	}
	answer(w, http.StatusOK, p.docNum, "53", "Document posted", p.arcKey, true)
}

// answer writes an IDOC_STATUS body.
func answer(w http.ResponseWriter, code int, docNum, status, text, arcKey string, dup bool) {
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	root := doc.CreateElement("IDOC_STATUS")
	for _, f := range [][2]string{{"DOCNUM", docNum}, {"STATUS", status}, {"STATXT", text}, {"ARCKEY", arcKey}} {
		if f[1] != "" {
			root.CreateElement(f[0]).SetText(f[1])
		}
	}
	if dup {
		root.CreateElement("DUPLICATE").SetText("X")
	}
	var b strings.Builder
	_, _ = doc.WriteTo(&b)
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(code)
	_, _ = io.WriteString(w, b.String())
}
