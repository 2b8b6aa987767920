// Package sapidoc posts ledger batches to SAP ECC / S/4HANA as ACC_DOCUMENT
// IDocs in IDoc-XML (control record EDI_DC40, header E1BPACHE09, G/L lines
// E1BPACGL09, amounts E1BPACCR09), sent by HTTP POST with basic auth to the
// IDoc-XML inbound service (or middleware in front of it). Each batch (or
// each balanced part of a batch over max_lines) carries a reference derived
// from the batch ID, so a resend is recognised; see formats.md §5.
package sapidoc

import (
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/revhub/revhub/adapters/kit/secrets"
	"github.com/revhub/revhub/core/validate"
)

// Config is one SAP receiver and the hub's identity towards it.
type Config struct {
	Endpoint          string        `yaml:"endpoint" required:"true" doc:"IDoc-XML inbound URL, e.g. https://sap.example/sap/bc/idoc_xml?sap-client=100"`
	LookupEndpoint    string        `yaml:"lookup_endpoint" doc:"optional URL answering whether a reference was already posted (read before write); without it the receiver's duplicate check is relied on"`
	Username          string        `yaml:"username" required:"true" doc:"SAP user for basic auth (also written as the document's USERNAME)"`
	PasswordRef       string        `yaml:"password_ref" required:"true" doc:"secret reference of the SAP user's password"`
	PartnerNumber     string        `yaml:"partner_number" required:"true" doc:"the hub's logical system as SAP knows it (SNDPRN and OBJ_SYS; partner profile in WE20)"`
	PartnerType       string        `yaml:"partner_type" default:"LS" doc:"sender partner type (SNDPRT): LS logical system"`
	SenderPort        string        `yaml:"sender_port" default:"REVHUB" doc:"sender port (SNDPOR)"`
	ReceiverPartner   string        `yaml:"receiver_partner" required:"true" doc:"SAP's logical system (RCVPRN), e.g. S4PCLNT100"`
	ReceiverPort      string        `yaml:"receiver_port" doc:"SAP port (RCVPOR); empty leaves it to SAP"`
	Client            string        `yaml:"client" doc:"SAP client (MANDT); empty leaves it to SAP"`
	CompanyCode       string        `yaml:"company_code" required:"true" doc:"company code the documents post in (COMP_CODE)"`
	DocType           string        `yaml:"doc_type" default:"SA" doc:"FI document type (DOC_TYPE)"`
	MaxLines          int           `yaml:"max_lines" default:"999" doc:"most G/L lines per IDoc; larger batches go out as several balanced documents"`
	Timeout           time.Duration `yaml:"timeout" default:"30s" doc:"budget for one HTTP request"`
	IDocType          string        `yaml:"idoc_type" default:"ACC_DOCUMENT03" doc:"basic type (IDOCTYP), also the XML root element"`
	AccountZeroPadded bool          `yaml:"account_zero_padded" default:"true" doc:"left-pad all-digit G/L accounts and cost centres with zeros to 10 digits (SAP's internal form)"`
}

// Validate reports every problem with the settings.
func (c Config) Validate() error {
	var errs validate.Errors
	for key, v := range map[string]string{"endpoint": c.Endpoint, "lookup_endpoint": c.LookupEndpoint} {
		if v == "" {
			if key == "endpoint" {
				errs.Required(key)
			}
		} else if u, err := url.Parse(v); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs.Add(key, "invalid", "want an http(s) URL")
		}
	}
	if c.PasswordRef == "" {
		errs.Required("password_ref")
	} else if secrets.CheckRef(c.PasswordRef) != nil {
		errs.Add("password_ref", "invalid", secrets.ErrBadRef.Error())
	}
	for _, f := range []struct {
		key, v   string
		max      int
		required bool
	}{
		{"username", c.Username, lenUsername, true},
		{"partner_number", c.PartnerNumber, lenPartner, true},
		{"partner_type", c.PartnerType, 2, true},
		{"sender_port", c.SenderPort, lenPort, true},
		{"receiver_partner", c.ReceiverPartner, lenPartner, true},
		{"receiver_port", c.ReceiverPort, lenPort, false},
		{"client", c.Client, 3, false},
		{"company_code", c.CompanyCode, lenCompanyCode, true},
		{"doc_type", c.DocType, 2, true},
		{"idoc_type", c.IDocType, 30, true},
	} {
		switch n := utf8.RuneCountInString(f.v); {
		case n == 0 && f.required:
			errs.Required(f.key)
		case n > f.max:
			errs.Add(f.key, "too_long", "SAP holds at most "+strconv.Itoa(f.max)+" characters here")
		}
	}
	if c.MaxLines < 2 || c.MaxLines > 999 {
		errs.Add("max_lines", "invalid", "want 2 to 999")
	}
	if c.Timeout <= 0 {
		errs.Add("timeout", "invalid", "want a positive duration such as 30s")
	}
	return errs.Err()
}
