package x835_test

import (
	"testing"
	"time"

	"github.com/revhub/revhub/adapters/x12/x835"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

func usd(minor int64) int64 { return minor }

func day(y int, m time.Month, d int) settlement.Date {
	v, ok := settlement.NewDate(y, int(m), d)
	if !ok {
		panic("no such day")
	}
	return v
}

func mods(ms ...string) (out [4]settlement.Modifier) {
	for i, m := range ms {
		out[i], _ = settlement.ModifierOf(m)
	}
	return out
}

var testEnv = ports.Envelope{InterchangeControl: 123, GroupControl: 123, TransactionControl: 1,
	Created: time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)}

func newCodec(t testing.TB) *x835.Codec {
	t.Helper()
	c, err := x835.New(x835.Config{SenderQualifier: "ZZ", SenderID: "ACMEPAYER", ReceiverQualifier: "ZZ",
		ReceiverID: "NORTHCLINIC", Usage: "P", Delimiters: "*^:~", Newline: true, MaxBytes: 1 << 27}, ports.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func payer() settlement.Payer {
	return settlement.Payer{Name: "ACME HEALTH PLAN", ID: "1123456789",
		Address: settlement.Address{Line1: "PO BOX 100", City: "HARTFORD", State: "CT", PostalCode: "06101"},
		Contact: settlement.Contact{Name: "EDI SUPPORT", Phone: "8005550100", Email: "EDI@ACME.EXAMPLE"}}
}

func payee() settlement.Payee {
	return settlement.Payee{Name: "NORTH CLINIC", NPI: "1234567893", TIN: "987654321"}
}

func achAdvice(total int64) settlement.PaymentAdvice {
	return settlement.PaymentAdvice{
		Payer: payer(), Payee: payee(), Method: settlement.MethodACH, Currency: money.USD, Total: usd(total),
		Date: day(2025, 3, 14), TraceNumber: "EFT0000012345", ProductionDate: day(2025, 3, 12),
		PayerBank: settlement.BankAccount{Routing: "121042882", Account: "12345678", Type: settlement.Checking},
		PayeeBank: settlement.BankAccount{Routing: "231380104", Account: "987654321", Type: settlement.Checking},
	}
}

// claim1001 is PCN1001 of formats.md §1.9: charged 250, paid 170.
func claim1001() settlement.ClaimPayment {
	return settlement.ClaimPayment{
		PatientControlNumber: "PCN1001", Status: settlement.StatusPrimary, Charge: usd(25000), Paid: usd(17000),
		PatientResponsibility: usd(3000), FilingIndicator: "12", PayerControlNumber: "ACMEICN0001",
		FacilityCode: "11", Frequency: "1",
		Patient:      settlement.Patient{LastName: "DOE", FirstName: "JANE", MemberID: "W123456789"},
		ServiceStart: day(2025, 3, 1),
		Lines: []settlement.ServiceLine{
			{Procedure: settlement.Procedure{Qualifier: "HC", Code: "99214", Modifiers: mods("25")},
				Charge: usd(20000), Paid: usd(13000), Allowed: usd(16000), HasAllowed: true, Units: 1, Date: day(2025, 3, 1),
				ControlNumber: "LINE-1001-1", Adjustments: []settlement.Adjustment{
					{Group: settlement.GroupContractual, Reason: "45", Amount: usd(4000)},
					{Group: settlement.GroupPatient, Reason: "2", Amount: usd(3000)}}},
			{Procedure: settlement.Procedure{Qualifier: "HC", Code: "36415"},
				Charge: usd(5000), Paid: usd(4000), Allowed: usd(4000), HasAllowed: true, Units: 1, Date: day(2025, 3, 1),
				ControlNumber: "LINE-1001-2", Adjustments: []settlement.Adjustment{
					{Group: settlement.GroupContractual, Reason: "45", Amount: usd(1000)}}},
		},
	}
}

func patient(last, first, id string) settlement.Patient {
	return settlement.Patient{LastName: last, FirstName: first, MemberID: id}
}

// simpleAdvice pays one claim by ACH.
func simpleAdvice() settlement.PaymentAdvice {
	a := achAdvice(17000)
	a.Claims = []settlement.ClaimPayment{claim1001()}
	return a
}

// multiClaimAdvice is formats.md §1.9: a paid claim, a denial, a reversal
// and its correction, interest and a recoupment.
func multiClaimAdvice() settlement.PaymentAdvice {
	a := achAdvice(17000)
	a.Claims = []settlement.ClaimPayment{
		claim1001(),
		{PatientControlNumber: "PCN1002", Status: settlement.StatusDenied, Charge: usd(12000), Paid: usd(0),
			PatientResponsibility: usd(0), FilingIndicator: "12", PayerControlNumber: "ACMEICN0002", FacilityCode: "11", Frequency: "1",
			Patient:     patient("ROE", "JOHN", "W987654321"),
			Adjustments: []settlement.Adjustment{{Group: settlement.GroupContractual, Reason: "197", Amount: usd(12000)}}},
		{PatientControlNumber: "PCN0999", Status: settlement.StatusReversal, Charge: usd(-8000), Paid: usd(-6000),
			PatientResponsibility: usd(-2000), FilingIndicator: "12", PayerControlNumber: "ACMEICN0555", FacilityCode: "11", Frequency: "1",
			Patient:     patient("POE", "ANN", "W555000111"),
			Adjustments: []settlement.Adjustment{{Group: settlement.GroupPatient, Reason: "1", Amount: usd(-2000)}}},
		{PatientControlNumber: "PCN0999", Status: settlement.StatusPrimary, Charge: usd(8000), Paid: usd(7000),
			PatientResponsibility: usd(1000), FilingIndicator: "12", PayerControlNumber: "ACMEICN0556", FacilityCode: "11", Frequency: "1",
			Patient:     patient("POE", "ANN", "W555000111"),
			Adjustments: []settlement.Adjustment{{Group: settlement.GroupPatient, Reason: "1", Amount: usd(1000)}}},
	}
	a.ProviderAdjustments = []settlement.ProviderAdjustment{
		{Reason: "L6", FiscalPeriod: day(2025, 12, 31), Amount: usd(-250)},
		{Reason: "WO", Reference: "ACMEICN0444", FiscalPeriod: day(2025, 12, 31), Amount: usd(1250)},
	}
	return a
}

// deniedAdvice explains a denied claim without any payment (NON).
func deniedAdvice() settlement.PaymentAdvice {
	a := settlement.PaymentAdvice{Payer: payer(), Payee: payee(), Method: settlement.MethodNone, Currency: money.USD, Total: usd(0),
		Date: day(2025, 3, 14), TraceNumber: "NOPAY0000042"}
	a.Claims = []settlement.ClaimPayment{{PatientControlNumber: "PCN2001", Status: settlement.StatusDenied,
		Charge: usd(31050), Paid: usd(0), PatientResponsibility: usd(0), FilingIndicator: "HM", PayerControlNumber: "ACMEICN2001",
		Patient:      patient("ROE", "JOHN", "W987654321"),
		ServiceStart: day(2025, 2, 3), ServiceEnd: day(2025, 2, 4),
		Lines: []settlement.ServiceLine{{Procedure: settlement.Procedure{Qualifier: "HC", Code: "97110", Modifiers: mods("GP", "59")},
			Charge: usd(31050), Paid: usd(0), Units: 3, Date: day(2025, 2, 3),
			Adjustments: []settlement.Adjustment{{Group: settlement.GroupContractual, Reason: "50", Amount: usd(31050), Quantity: 3}}}}}}
	return a
}

// checkAdvice pays two claims by paper check to a payee known by TIN only.
func checkAdvice() settlement.PaymentAdvice {
	a := settlement.PaymentAdvice{Payer: payer(), Method: settlement.MethodCheck, Currency: money.USD, Total: usd(21599),
		Date: day(2025, 4, 1), TraceNumber: "CHK000778899",
		Payee: settlement.Payee{Name: "SOUTH FAMILY PRACTICE", TIN: "123456789",
			Address: settlement.Address{Line1: "12 MAIN ST", Line2: "SUITE 4", City: "NEW HAVEN", State: "CT", PostalCode: "065101234"}}}
	a.Claims = []settlement.ClaimPayment{
		{PatientControlNumber: "SFP-77", Status: settlement.StatusPrimary, Charge: usd(15000), Paid: usd(11599),
			PatientResponsibility: usd(2000), FilingIndicator: "MB", PayerControlNumber: "ICN77",
			Patient:     patient("SMITH", "ALEX", "M77"),
			Adjustments: []settlement.Adjustment{{Group: settlement.GroupContractual, Reason: "253", Amount: usd(237)}},
			Lines: []settlement.ServiceLine{{Procedure: settlement.Procedure{Qualifier: "HC", Code: "99213"},
				Charge: usd(15000), Paid: usd(11836), Date: day(2025, 3, 20),
				Adjustments: []settlement.Adjustment{
					{Group: settlement.GroupContractual, Reason: "45", Amount: usd(1164)},
					{Group: settlement.GroupPatient, Reason: "3", Amount: usd(2000)}}}}},
		{PatientControlNumber: "SFP-78", Status: settlement.StatusSecondary, Charge: usd(10000), Paid: usd(10000),
			PatientResponsibility: usd(0), FilingIndicator: "MB", PayerControlNumber: "ICN78",
			Patient: patient("SMITH", "ALEX", "M77")},
	}
	return a
}

var fixtures = []struct {
	name   string
	advice func() settlement.PaymentAdvice
}{
	{"simple-ach", simpleAdvice},
	{"multi-claim-plb", multiClaimAdvice},
	{"denied-claim", deniedAdvice},
	{"check-payment", checkAdvice},
}
