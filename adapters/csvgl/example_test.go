package csvgl_test

import (
	"fmt"
	"strings"

	"github.com/revhub/revhub/adapters/csvgl"
	"github.com/revhub/revhub/core/money"
)

func ExampleParse() {
	file := "date;journal;account;cost_centre;debit;credit;memo;reference\n" +
		"2026-03-03;VT;411100;BIO;0,30;;glucose;adj-1\n" +
		"2026-03-03;VT;706100;BIO;;0,30;glucose;adj-1\n"
	b, err := csvgl.Parse(strings.NewReader(file), csvgl.ParseOptions{Delimiter: ';', DecimalSeparator: ',', Currency: money.EUR, Header: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range b.Lines {
		fmt.Println(l.Account, l.Debit, l.Credit)
	}
	_, err = csvgl.Parse(strings.NewReader("2026-03-03;VT;411100;BIO;0.30;;glucose;adj-1\n"), csvgl.ParseOptions{Currency: money.EUR})
	fmt.Println(err)
	// Output:
	// 411100 0.30 EUR 0.00 EUR
	// 706100 0.00 EUR 0.30 EUR
	// line 1 debit: invalid amount "0.30": want digits with ',' as decimal separator
}
