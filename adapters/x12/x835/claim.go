package x835

import (
	"github.com/revhub/revhub/adapters/x12"
	"github.com/revhub/revhub/core/settlement"
)

// maxCASTriplets is how many adjustments one CAS segment carries.
const maxCASTriplets = 6

func writeClaim(w *x12.Writer, c *settlement.ClaimPayment) {
	w.Begin("CLP")
	w.Str(c.PatientControlNumber)
	w.Str(string(c.Status))
	w.Minor(c.Charge, usdDigits)
	w.Minor(c.Paid, usdDigits)
	w.Minor(c.PatientResponsibility, usdDigits)
	w.Str(c.FilingIndicator)
	w.Str(c.PayerControlNumber)
	w.Str(c.FacilityCode)
	w.Str(c.Frequency)
	w.End()
	writeCAS(w, c.Adjustments)
	w.Begin("NM1")
	w.Str("QC")
	w.Str("1")
	w.Str(c.Patient.LastName)
	w.Str(c.Patient.FirstName)
	if c.Patient.MemberID != "" {
		w.Str("")
		w.Str("")
		w.Str("")
		w.Str("MI")
		w.Str(c.Patient.MemberID)
	}
	w.End()
	writeDTM(w, "232", c.ServiceStart)
	writeDTM(w, "233", c.ServiceEnd)
	for i := range c.Lines {
		writeLine(w, &c.Lines[i])
	}
}

func writeLine(w *x12.Writer, l *settlement.ServiceLine) {
	w.Begin("SVC")
	w.Comp(l.Procedure.Qualifier, true)
	w.Comp(l.Procedure.Code, false)
	for _, m := range l.Procedure.Modifiers {
		if m == (settlement.Modifier{}) {
			w.Comp("", false)
		} else {
			w.Comp(string(m[:]), false)
		}
	}
	w.Minor(l.Charge, usdDigits)
	w.Minor(l.Paid, usdDigits)
	if l.Units != 0 {
		w.Str("")
		w.Int(l.Units)
	}
	w.End()
	writeDTM(w, "472", l.Date)
	writeCAS(w, l.Adjustments)
	if l.ControlNumber != "" {
		w.Begin("REF")
		w.Str("6R")
		w.Str(l.ControlNumber)
		w.End()
	}
	if l.HasAllowed {
		w.Begin("AMT")
		w.Str("B6")
		w.Minor(l.Allowed, usdDigits)
		w.End()
	}
}

// writeCAS writes runs of adjustments with the same group, up to six per segment.
func writeCAS(w *x12.Writer, adj []settlement.Adjustment) {
	for i := 0; i < len(adj); {
		j := i + 1
		for j < len(adj) && j-i < maxCASTriplets && adj[j].Group == adj[i].Group {
			j++
		}
		w.Begin("CAS")
		w.Str(string(adj[i].Group))
		for _, a := range adj[i:j] {
			w.Str(a.Reason)
			w.Minor(a.Amount, usdDigits)
			if a.Quantity != 0 {
				w.Int(a.Quantity)
			} else {
				w.Str("")
			}
		}
		w.End()
		i = j
	}
}

func writeDTM(w *x12.Writer, qual string, d settlement.Date) {
	if d.IsZero() {
		return
	}
	w.Begin("DTM")
	w.Str(qual)
	writeDate(w, d)
	w.End()
}

func writeDate(w *x12.Writer, d settlement.Date) {
	w.YMD(int(d.Year), int(d.Month), int(d.Day))
}
