package invoicepdf

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/ports"
)

// Renderer renders patient invoices as PDF.
type Renderer struct{ cfg Config }

var _ ports.InvoiceRenderer = (*Renderer)(nil)

// New returns a Renderer.
func New(cfg Config) (*Renderer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, ports.E("patient_pdf.New", ports.Invalid, err)
	}
	return &Renderer{cfg: cfg}, nil
}

// Render lays out and draws the invoice: "<number>.pdf", application/pdf.
func (r *Renderer) Render(ctx context.Context, p ports.InvoicePayload) (ports.Rendition, error) {
	const op = "patient_pdf.Render"
	if err := ctx.Err(); err != nil {
		return ports.Rendition{}, ports.E(op, ports.Transient, err)
	}
	pg, err := Layout(p, r.cfg.Language)
	if err != nil {
		return ports.Rendition{}, ports.E(op, ports.Invalid, fmt.Errorf("invoice %s: %w", p.Invoice.Number, err))
	}
	body, err := Draw(pg, dateOf(p.Invoice.IssueDate))
	if err != nil {
		return ports.Rendition{}, ports.E(op, ports.Invalid, fmt.Errorf("invoice %s: %w", p.Invoice.Number, err))
	}
	return ports.Rendition{Name: p.Invoice.Number + ".pdf", MediaType: "application/pdf", Body: body}, nil
}

func dateOf(d invoicing.Date) time.Time {
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
}

// Geometry of an A4 page in millimetres.
const (
	margin = 15.0
	width  = 210.0 - 2*margin
	lineH  = 5.0
	font   = "go"
)

// column widths of the line table: service, code, qty, charge, covered, you pay
var cols = [6]float64{60, 20, 13, 27, 32, 28}

// Draw renders a laid-out page as PDF dated at (creation and modification
// date), so the same page always gives the same bytes.
func Draw(pg *Page, at time.Time) ([]byte, error) {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCatalogSort(true)
	f.SetCreationDate(at)
	f.SetModificationDate(at)
	f.SetCompression(true)
	f.SetProducer("revhub", true)
	f.SetCreator("revhub patient_pdf", true)
	f.SetTitle(pg.Title+" "+factOf(pg, 0), true)
	f.SetAuthor(firstOf(pg.Seller...), true)
	f.SetLang(pg.Lang)
	f.AddUTF8FontFromBytes(font, "", goregular.TTF)
	f.AddUTF8FontFromBytes(font, "B", gobold.TTF)
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, 20)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(func() {
		f.SetY(-15)
		f.SetFont(font, "", 8)
		f.SetTextColor(90, 90, 90)
		f.CellFormat(width*0.75, 4, pg.Footer, "", 0, "L", false, 0, "")
		f.CellFormat(width*0.25, 4, fmt.Sprintf(labels[pg.Lang][lPage], f.PageNo(), "{nb}"), "", 0, "R", false, 0, "")
	})
	f.AddPage()
	drawHeader(f, pg)
	drawTable(f, pg)
	drawTotals(f, pg)
	drawPayment(f, pg)
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func factOf(pg *Page, i int) string {
	if i < len(pg.Facts) {
		return pg.Facts[i][1]
	}
	return ""
}

func drawHeader(f *fpdf.Fpdf, pg *Page) {
	top := f.GetY()
	f.SetFont(font, "B", 11)
	for i, l := range pg.Seller {
		if i == 1 {
			f.SetFont(font, "", 9)
		}
		f.CellFormat(width-95, lineH-0.5, l, "", 2, "L", false, 0, "")
	}
	f.SetXY(margin+width/2, top)
	f.SetFont(font, "B", 20)
	f.CellFormat(width/2, 9, pg.Title, "", 2, "R", false, 0, "")
	f.Ln(1)
	for _, fact := range pg.Facts {
		f.SetX(margin + width - 95)
		f.SetFont(font, "", 9)
		f.CellFormat(55, lineH, fact[0], "", 0, "R", false, 0, "")
		f.SetFont(font, "B", 9)
		f.CellFormat(40, lineH, fact[1], "", 2, "R", false, 0, "")
		f.SetX(margin)
	}
	f.SetY(max(f.GetY(), top+38))
	f.SetFont(font, "", 10)
	for i, l := range pg.Recipient {
		if i == 0 {
			f.SetFont(font, "B", 10)
		} else {
			f.SetFont(font, "", 10)
		}
		f.CellFormat(width/2, lineH, l, "", 2, "L", false, 0, "")
	}
	f.Ln(8)
}

func drawTable(f *fpdf.Fpdf, pg *Page) {
	header := func() {
		f.SetFont(font, "B", 8)
		f.SetFillColor(230, 236, 242)
		for i, c := range pg.Columns {
			f.CellFormat(cols[i], 7, c, "B", 0, align(i), true, 0, "")
		}
		f.Ln(-1)
	}
	header()
	f.SetFont(font, "", 9)
	for _, row := range pg.Rows {
		wrapped := f.SplitText(row[0], cols[0]-2)
		h := float64(max(1, len(wrapped))) * lineH
		if f.GetY()+h > 297-25 {
			f.AddPage()
			header()
			f.SetFont(font, "", 9)
		}
		y := f.GetY()
		for j, w := range wrapped {
			f.SetXY(margin, y+float64(j)*lineH)
			f.CellFormat(cols[0], lineH, w, "", 0, "L", false, 0, "")
		}
		x := margin + cols[0]
		for i := 1; i < len(row); i++ {
			f.SetXY(x, y)
			f.CellFormat(cols[i], lineH, row[i], "", 0, align(i), false, 0, "")
			x += cols[i]
		}
		f.SetXY(margin, y+h)
		f.SetDrawColor(210, 210, 210)
		f.Line(margin, y+h, margin+width, y+h)
	}
	f.Ln(4)
}

func align(col int) string {
	if col < 2 {
		return "L"
	}
	return "R"
}

func drawTotals(f *fpdf.Fpdf, pg *Page) {
	for i, t := range pg.Totals {
		last := i == len(pg.Totals)-1
		style, border := "", ""
		if last {
			style, border = "B", "T"
		}
		f.SetX(margin + width - 110)
		f.SetFont(font, style, 10)
		f.CellFormat(80, 6, t[0], border, 0, "L", false, 0, "")
		f.CellFormat(30, 6, t[1], border, 1, "R", false, 0, "")
	}
	f.Ln(6)
}

func drawPayment(f *fpdf.Fpdf, pg *Page) {
	if len(pg.Payment) > 0 || len(pg.Account) > 0 {
		f.SetFont(font, "B", 10)
		f.CellFormat(width, 6, labels[pg.Lang][lHowToPay], "", 1, "L", false, 0, "")
		f.SetFont(font, "", 10)
		for _, s := range pg.Payment {
			f.MultiCell(width, lineH, s, "", "L", false)
		}
		for _, a := range pg.Account {
			f.SetFont(font, "", 10)
			f.CellFormat(45, lineH, a[0], "", 0, "L", false, 0, "")
			f.SetFont(font, "B", 10)
			f.CellFormat(width-45, lineH, a[1], "", 1, "L", false, 0, "")
		}
		f.Ln(4)
	}
	f.SetFont(font, "", 8)
	f.SetTextColor(70, 70, 70)
	for _, n := range pg.Notes {
		f.MultiCell(width, 4, n, "", "L", false)
	}
}
