package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/multipart"
	"net/textproto"
	"strings"
	"time"

	"github.com/revhub/revhub/ports"
)

var texts = map[string][2]string{ // subject prefix, body
	"de": {"Rechnung", "Guten Tag,\r\n\r\nanbei erhalten Sie Ihre Rechnung %s.\r\n\r\nMit freundlichen Grüßen\r\n%s\r\n"},
	"et": {"Arve", "Tere\r\n\r\nmanuses on teie arve %s.\r\n\r\nLugupidamisega\r\n%s\r\n"},
	"fr": {"Facture", "Bonjour,\r\n\r\nveuillez trouver ci-joint votre facture %s.\r\n\r\nCordialement,\r\n%s\r\n"},
	"en": {"Invoice", "Hello,\r\n\r\nplease find attached your invoice %s.\r\n\r\nKind regards,\r\n%s\r\n"},
}

// MessageID derives the Message-ID from the idempotency key: every attempt
// of one delivery carries the same one.
func MessageID(key, from string) string {
	sum := sha256.Sum256([]byte(key))
	domain := "revhub.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 {
		domain = strings.TrimRight(from[i+1:], ">")
	}
	return "<" + hex.EncodeToString(sum[:16]) + "@" + domain + ">"
}

// compose writes the MIME message: a short text in the recipient's
// language and each document as a base64 attachment.
func compose(from, to string, e ports.InvoiceEnvelope, at time.Time) ([]byte, string) {
	t, ok := texts[e.Language]
	if !ok {
		t = texts["en"]
	}
	id := MessageID(e.Key, from)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.SetBoundary("revhub-" + id[1:17])
	var out bytes.Buffer
	for _, kv := range [][2]string{
		{"From", from}, {"To", to},
		{"Subject", mime.QEncoding.Encode("utf-8", t[0]+" "+e.Invoice.Number)},
		{"Date", at.UTC().Format(time.RFC1123Z)},
		{"Message-ID", id},
		{"MIME-Version", "1.0"},
		{"Content-Type", "multipart/mixed; boundary=\"" + mw.Boundary() + "\""},
	} {
		fmt.Fprintf(&out, "%s: %s\r\n", kv[0], kv[1])
	}
	out.WriteString("\r\n")
	part, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"text/plain; charset=utf-8"}, "Content-Transfer-Encoding": {"8bit"}})
	fmt.Fprintf(part, t[1], e.Invoice.Number, e.Invoice.Seller.Name)
	for _, d := range e.Documents {
		part, _ = mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {d.MediaType + "; name=\"" + d.Name + "\""},
			"Content-Disposition":       {"attachment; filename=\"" + d.Name + "\""},
			"Content-Transfer-Encoding": {"base64"},
		})
		enc := base64.StdEncoding.EncodeToString(d.Body)
		for len(enc) > 76 {
			fmt.Fprintf(part, "%s\r\n", enc[:76])
			enc = enc[76:]
		}
		fmt.Fprintf(part, "%s\r\n", enc)
	}
	_ = mw.Close()
	out.Write(body.Bytes())
	return out.Bytes(), id
}
