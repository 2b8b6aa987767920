package invoicing

import (
	"github.com/revhub/revhub/core/money"
)

// TypeCode is the invoice type code, BT-3 (UNTDID 1001).
type TypeCode string

// Type codes the hub issues.
const (
	CommercialInvoice TypeCode = "380"
	CreditNote        TypeCode = "381"
	CorrectedInvoice  TypeCode = "384"
)

// Category is a VAT category code, BT-118/BT-151 (UNTDID 5305 subset).
type Category string

// VAT categories.
const (
	StandardRate    Category = "S"
	ZeroRated       Category = "Z"
	Exempt          Category = "E"
	ReverseCharge   Category = "AE"
	IntraCommunity  Category = "K"
	Export          Category = "G"
	OutsideTaxScope Category = "O"
)

// Invoice is one invoice, credit note or corrected invoice (BT-3).
// Fields marked "computed" are set by Calculate.
type Invoice struct {
	Number         string         `json:"number"`                    // BT-1
	TypeCode       TypeCode       `json:"type_code"`                 // BT-3
	IssueDate      Date           `json:"issue_date"`                // BT-2
	DueDate        Date           `json:"due_date,omitzero"`         // BT-9
	DeliveryDate   Date           `json:"delivery_date,omitzero"`    // BT-72: date of service
	Currency       money.Currency `json:"currency"`                  // BT-5
	TaxCurrency    money.Currency `json:"tax_currency,omitempty"`    // BT-6, when VAT is accounted in another currency
	FXRate         money.Rate     `json:"fx_rate,omitzero"`          // TaxCurrency units per one Currency unit
	BuyerReference string         `json:"buyer_reference,omitempty"` // BT-10; Leitweg-ID for German public buyers
	OrderReference string         `json:"order_reference,omitempty"` // BT-13
	Notes          []string       `json:"notes,omitempty"`           // BT-22
	PaymentTerms   string         `json:"payment_terms,omitempty"`   // BT-20
	Preceding      []Reference    `json:"preceding,omitempty"`       // BG-3: corrected or credited invoices
	Seller         Party          `json:"seller"`                    // BG-4
	Buyer          Party          `json:"buyer"`                     // BG-7
	Payment        *PaymentMeans  `json:"payment,omitempty"`         // BG-16
	Lines          []Line         `json:"lines"`                     // BG-25
	Allowances     []Adjustment   `json:"allowances,omitempty"`      // BG-20
	Charges        []Adjustment   `json:"charges,omitempty"`         // BG-21
	Prepaid        money.Amount   `json:"prepaid,omitzero"`          // BT-113

	VAT    []VATBreakdown `json:"vat,omitempty"`   // BG-23, computed
	Totals Totals         `json:"totals,omitzero"` // BG-22, computed
}

// Reference points at a preceding invoice (BG-3).
type Reference struct {
	Number    string `json:"number"`              // BT-25
	IssueDate Date   `json:"issue_date,omitzero"` // BT-26
}

// Party is a seller or buyer (BG-4 / BG-7).
type Party struct {
	Name     string   `json:"name"`               // BT-27 / BT-44
	ID       string   `json:"id,omitempty"`       // BT-29 / BT-46
	LegalID  string   `json:"legal_id,omitempty"` // BT-30 / BT-47: registration number
	VATID    string   `json:"vat_id,omitempty"`   // BT-31 / BT-48
	TaxID    string   `json:"tax_id,omitempty"`   // BT-32: seller tax number
	Endpoint Endpoint `json:"endpoint,omitzero"`  // BT-34 / BT-49
	Address  Address  `json:"address"`            // BG-5 / BG-8
	Contact  Contact  `json:"contact,omitzero"`   // BG-6 / BG-9
}

// Endpoint is an electronic address with its EAS scheme ("EM", "0204", "9930").
type Endpoint struct {
	Scheme string `json:"scheme"`
	ID     string `json:"id"`
}

// Address is a postal address (BG-5 / BG-8).
type Address struct {
	Line1       string `json:"line1,omitempty"`
	Line2       string `json:"line2,omitempty"`
	City        string `json:"city,omitempty"`
	PostCode    string `json:"post_code,omitempty"`
	Subdivision string `json:"subdivision,omitempty"`
	Country     string `json:"country"` // ISO 3166-1 alpha-2
}

// Contact is a contact point (BG-6 / BG-9).
type Contact struct {
	Name  string `json:"name,omitempty"`
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
}

// PaymentMeans are the payment instructions (BG-16, BG-17).
type PaymentMeans struct {
	Code        string `json:"code"`                   // BT-81 (UNTDID 4461): "58" SEPA credit transfer
	Reference   string `json:"reference,omitempty"`    // BT-83 remittance information
	IBAN        string `json:"iban,omitempty"`         // BT-84; masked by String
	AccountName string `json:"account_name,omitempty"` // BT-85
	BIC         string `json:"bic,omitempty"`          // BT-86
}

// String describes the payment means with the account number masked.
func (p PaymentMeans) String() string {
	return "payment means " + p.Code + " account " + MaskAccount(p.IBAN)
}

// MaskAccount keeps the first two and last four characters of an account number.
func MaskAccount(s string) string {
	if len(s) <= 6 {
		return "****"
	}
	b := []byte(s)
	for i := 2; i < len(b)-4; i++ {
		b[i] = '*'
	}
	return string(b)
}

// Tax is the VAT treatment of a line, allowance or charge (BG-30).
type Tax struct {
	Category        Category   `json:"category"`                   // BT-151
	Rate            money.Rate `json:"rate"`                       // BT-152, percent: "19"
	ExemptionReason string     `json:"exemption_reason,omitempty"` // BT-120
	ExemptionCode   string     `json:"exemption_code,omitempty"`   // BT-121: "VATEX-EU-132-1C"
}

// Classification is an item classification code (BT-158) with its list.
type Classification struct {
	Code    string `json:"code"`
	ListID  string `json:"list_id"` // UNTDID 7143, e.g. "ZZZ" mutually agreed
	Version string `json:"version,omitempty"`
}

// Line is an invoice line (BG-25).
type Line struct {
	ID              string           `json:"id"`                        // BT-126
	Note            string           `json:"note,omitempty"`            // BT-127
	Name            string           `json:"name"`                      // BT-153
	SellerItemID    string           `json:"seller_item_id,omitempty"`  // BT-155: tariff code
	Classifications []Classification `json:"classifications,omitempty"` // BT-158
	Quantity        money.Rate       `json:"quantity"`                  // BT-129
	Unit            string           `json:"unit"`                      // BT-130 (UN/ECE Rec. 20)
	Price           money.Amount     `json:"price"`                     // BT-146 net price per unit
	Tax             Tax              `json:"tax"`                       // BG-30
	NetAmount       money.Amount     `json:"net_amount,omitzero"`       // BT-131, computed
}

// Adjustment is a document-level allowance (BG-20) or charge (BG-21).
type Adjustment struct {
	Amount     money.Amount `json:"amount"`                // BT-92 / BT-99
	Reason     string       `json:"reason,omitempty"`      // BT-97 / BT-104
	ReasonCode string       `json:"reason_code,omitempty"` // BT-98 / BT-105
	Tax        Tax          `json:"tax"`                   // BT-95/96 / BT-102/103
}

// VATBreakdown is one VAT subtotal per category and rate (BG-23).
type VATBreakdown struct {
	Category        Category     `json:"category"`                   // BT-118
	Rate            money.Rate   `json:"rate"`                       // BT-119
	Taxable         money.Amount `json:"taxable"`                    // BT-116
	Tax             money.Amount `json:"tax"`                        // BT-117
	ExemptionReason string       `json:"exemption_reason,omitempty"` // BT-120
	ExemptionCode   string       `json:"exemption_code,omitempty"`   // BT-121
}

// Totals are the document totals (BG-22).
type Totals struct {
	LineNet      money.Amount `json:"line_net"`                // BT-106
	Allowances   money.Amount `json:"allowances"`              // BT-107
	Charges      money.Amount `json:"charges"`                 // BT-108
	TaxExclusive money.Amount `json:"tax_exclusive"`           // BT-109
	VAT          money.Amount `json:"vat"`                     // BT-110
	VATInTaxCur  money.Amount `json:"vat_in_tax_cur,omitzero"` // BT-111, when TaxCurrency differs
	TaxInclusive money.Amount `json:"tax_inclusive"`           // BT-112
	Prepaid      money.Amount `json:"prepaid"`                 // BT-113
	Rounding     money.Amount `json:"rounding"`                // BT-114
	Due          money.Amount `json:"due"`                     // BT-115
}

// Calculated reports whether Calculate has filled the totals.
func (inv *Invoice) Calculated() bool { return inv.Totals.Due.Valid() }

// HasTaxCurrency reports whether VAT is accounted in a currency other than
// the invoice currency (BT-6 present and different from BT-5).
func (inv *Invoice) HasTaxCurrency() bool {
	return inv.TaxCurrency != "" && inv.TaxCurrency != inv.Currency
}
