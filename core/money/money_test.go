package money_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/revhub/revhub/core/money"
	"pgregory.net/rapid"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		cur      money.Currency
		sep      byte
		want     int64
		wantErr  bool
	}{
		{name: "plain", in: "12.50", cur: money.EUR, sep: '.', want: 1250},
		{name: "x12 suppressed zeros", in: "170", cur: money.USD, sep: '.', want: 17000},
		{name: "one decimal", in: "12.5", cur: money.USD, sep: '.', want: 1250},
		{name: "negative", in: "-0.01", cur: money.EUR, sep: '.', want: -1},
		{name: "comma CSV", in: "12,50", cur: money.EUR, sep: ',', want: 1250},
		{name: "yen", in: "1000", cur: money.JPY, sep: '.', want: 1000},
		{name: "dinar three digits", in: "1.234", cur: money.BHD, sep: '.', want: 1234},
		{name: "too many decimals", in: "1.234", cur: money.EUR, sep: '.', wantErr: true},
		{name: "thousands separator", in: "1,000.00", cur: money.EUR, sep: '.', wantErr: true},
		{name: "empty", in: "", cur: money.EUR, sep: '.', wantErr: true},
		{name: "sign only", in: "-", cur: money.EUR, sep: '.', wantErr: true},
		{name: "overflow", in: "999999999999999999999", cur: money.EUR, sep: '.', wantErr: true},
		{name: "yen with decimals", in: "1.5", cur: money.JPY, sep: '.', wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := money.ParseSep(tc.in, tc.cur, tc.sep)
			if tc.wantErr {
				var pe *money.ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("ParseSep(%q) = %v, %v; want *ParseError", tc.in, got, err)
				}
				return
			}
			if err != nil || got.Minor() != tc.want || got.Currency() != tc.cur {
				t.Fatalf("ParseSep(%q) = %v, %v; want %d %s", tc.in, got, err, tc.want, tc.cur)
			}
		})
	}
	if _, err := money.Parse("1", "XXX"); err == nil {
		t.Fatal("unknown currency accepted")
	}
}

func TestNumber(t *testing.T) {
	for _, tc := range []struct {
		name string
		a    money.Amount
		want string
	}{
		{"cents", money.MustNew(1250, money.EUR), "12.50"},
		{"small negative", money.MustNew(-5, money.EUR), "-0.05"},
		{"yen", money.MustNew(1000, money.JPY), "1000"},
		{"dinar", money.MustNew(1, money.BHD), "0.001"},
		{"min int64", money.MustNew(-9223372036854775808, money.USD), "-92233720368547758.08"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.a.Number(); got != tc.want {
				t.Fatalf("Number() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestArithmetic_currencyMismatchIsAnError(t *testing.T) {
	_, err := money.MustNew(1, money.EUR).Add(money.MustNew(1, money.USD))
	var cm *money.CurrencyMismatchError
	if !errors.As(err, &cm) || cm.Want != money.EUR || cm.Got != money.USD {
		t.Fatalf("Add across currencies: %v", err)
	}
	if _, err := money.Sum(money.MustNew(1, money.EUR), money.MustNew(1, money.USD)); !errors.As(err, &cm) {
		t.Fatalf("Sum across currencies: %v", err)
	}
	if _, err := (money.Amount{}).Add(money.MustNew(1, money.EUR)); !errors.Is(err, money.ErrInvalid) {
		t.Fatalf("zero Amount accepted: %v", err)
	}
	if _, err := money.MustNew(9223372036854775807, money.EUR).Add(money.MustNew(1, money.EUR)); !errors.Is(err, money.ErrOverflow) {
		t.Fatalf("overflow not detected: %v", err)
	}
}

func TestRounding(t *testing.T) {
	for _, tc := range []struct {
		name string
		rate string
		rnd  money.Rounding
		want int64
	}{
		{"half up tie", "0.125", money.HalfUp, 13},
		{"half up negative tie", "-0.125", money.HalfUp, -13},
		{"half even tie down", "0.125", money.HalfEven, 12},
		{"half even tie up", "0.135", money.HalfEven, 14},
		{"down", "0.129", money.Down, 12},
		{"down negative", "-0.129", money.Down, -12},
		{"up", "0.121", money.Up, 13},
		{"up negative", "-0.121", money.Up, -13},
		{"floor negative", "-0.121", money.Floor, -13},
		{"ceiling negative", "-0.129", money.Ceiling, -12},
		{"exact needs no rounding", "0.12", money.HalfUp, 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := money.MustRate(tc.rate).Amount(money.EUR, tc.rnd)
			if err != nil || got.Minor() != tc.want {
				t.Fatalf("%s rounded %s = %v, %v; want %d", tc.rate, tc.rnd, got, err, tc.want)
			}
		})
	}
	if _, err := money.MustRate("1").Amount(money.EUR, 0); err == nil {
		t.Fatal("unnamed rounding accepted")
	}
}

func TestApply_riskScoreAndPointValue(t *testing.T) {
	// Capitation: 312.40 EUR base × risk score 1.35 = 421.74 exactly.
	base := money.MustNew(31240, money.EUR)
	got, err := base.Mul(money.MustRate("1.35"), money.HalfUp)
	if err != nil || got.Minor() != 42174 {
		t.Fatalf("312.40 × 1.35 = %v, %v", got, err)
	}
	// EBM: 129 points × 0.123934 EUR = 15.987486 → 15.99 (half up).
	amt, err := money.MustRate("0.123934").Apply(money.Int(129), money.EUR, money.HalfUp)
	if err != nil || amt.Minor() != 1599 {
		t.Fatalf("129 × 0.123934 = %v, %v", amt, err)
	}
	// VAT 19 % of 100.05 = 19.0095 → 19.01 half up, 19.01 half even.
	pct, _ := money.Percent(money.MustRate("19"))
	vat, err := money.MustNew(10005, money.EUR).Mul(pct, money.HalfEven)
	if err != nil || vat.Minor() != 1901 {
		t.Fatalf("19%% of 100.05 = %v, %v", vat, err)
	}
}

func TestAllocate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		total   int64
		weights []int64
		want    []int64
	}{
		{"thirds", 100, []int64{1, 1, 1}, []int64{34, 33, 33}},
		{"negative thirds", -100, []int64{1, 1, 1}, []int64{-34, -33, -33}},
		{"largest remainder wins", 100, []int64{1, 2}, []int64{33, 67}},
		{"zero weight gets nothing", 5, []int64{0, 1, 1}, []int64{0, 3, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parts, err := money.MustNew(tc.total, money.EUR).Allocate(tc.weights...)
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range parts {
				if p.Minor() != tc.want[i] {
					t.Fatalf("part %d = %d, want %d (all: %v)", i, p.Minor(), tc.want[i], parts)
				}
			}
		})
	}
	if _, err := money.MustNew(1, money.EUR).Allocate(0, 0); !errors.Is(err, money.ErrNoWeights) {
		t.Fatalf("zero weights: %v", err)
	}
	parts, err := money.MustNew(10000, money.EUR).AllocateRates(money.MustRate("1.35"), money.MustRate("0.8"), money.MustRate("1"))
	if err != nil || parts[0].Minor()+parts[1].Minor()+parts[2].Minor() != 10000 {
		t.Fatalf("AllocateRates: %v %v", parts, err)
	}
}

func TestJSON_amountsAreStrings(t *testing.T) {
	b, err := json.Marshal(money.MustNew(1250, money.EUR))
	if err != nil || string(b) != `{"amount":"12.50","currency":"EUR"}` {
		t.Fatalf("marshal: %s %v", b, err)
	}
	var a money.Amount
	if err := json.Unmarshal([]byte(`{"amount":"0.10","currency":"USD"}`), &a); err != nil || a.Minor() != 10 {
		t.Fatalf("unmarshal: %v %v", a, err)
	}
	if err := json.Unmarshal([]byte(`{"amount":"0.105","currency":"USD"}`), &a); err == nil {
		t.Fatal("sub-cent amount accepted")
	}
}

func TestProperty_allocationSumsToTotal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		total := rapid.Int64Range(-1e15, 1e15).Draw(t, "total")
		ws := rapid.SliceOfN(rapid.Int64Range(0, 1e9), 1, 50).Draw(t, "weights")
		ws[0]++ // at least one positive weight
		parts, err := money.MustNew(total, money.EUR).Allocate(ws...)
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		for i, p := range parts {
			sum += p.Minor()
			if ws[i] == 0 && p.Minor() != 0 {
				t.Fatalf("zero weight got %d", p.Minor())
			}
		}
		if sum != total {
			t.Fatalf("parts sum to %d, want %d", sum, total)
		}
	})
}

func TestProperty_roundingIsIdempotent(t *testing.T) {
	modes := []money.Rounding{money.HalfUp, money.HalfEven, money.Down, money.Up, money.Floor, money.Ceiling}
	rapid.Check(t, func(t *rapid.T) {
		coef := rapid.Int64Range(-1e15, 1e15).Draw(t, "coef")
		scale := rapid.IntRange(0, 6).Draw(t, "scale")
		rnd := rapid.SampledFrom(modes).Draw(t, "mode")
		r, err := money.RateOf(coef, scale)
		if err != nil {
			t.Fatal(err)
		}
		once, err := r.Amount(money.EUR, rnd)
		if err != nil {
			t.Fatal(err)
		}
		twice, err := once.Rate().Amount(money.EUR, rnd)
		if err != nil || twice != once {
			t.Fatalf("rounding %s twice: %v then %v (%v)", rnd, once, twice, err)
		}
		r1, _ := r.Round(2, rnd)
		r2, _ := r1.Round(2, rnd)
		if r1.Cmp(r2) != 0 {
			t.Fatalf("Rate.Round not idempotent: %s, %s", r1, r2)
		}
	})
}

func TestProperty_parseNumberRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := rapid.Int64().Draw(t, "minor")
		cur := rapid.SampledFrom([]money.Currency{money.EUR, money.JPY, money.BHD}).Draw(t, "cur")
		a := money.MustNew(m, cur)
		b, err := money.Parse(a.Number(), cur)
		if err != nil || b != a {
			t.Fatalf("round trip %v -> %q -> %v (%v)", a, a.Number(), b, err)
		}
	})
}

func BenchmarkApply(b *testing.B) {
	price, qty := money.MustRate("0.123934"), money.Int(129)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := price.Apply(qty, money.EUR, money.HalfUp); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAllocate100(b *testing.B) {
	ws := make([]int64, 100)
	for i := range ws {
		ws[i] = int64(i*7 + 1)
	}
	total := money.MustNew(123456789, money.EUR)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := total.Allocate(ws...); err != nil {
			b.Fatal(err)
		}
	}
}

func TestRate_partsRoundTrip(t *testing.T) {
	for _, s := range []string{"0", "0.000", "15.1200", "-0.19", "9223372036854775807", "0.0000000000000000001"} {
		coef, scale, ok := money.MustRate(s).Parts()
		r, err := money.RateOf(coef, scale)
		if !ok || err != nil || r.String() != s {
			t.Errorf("%s: parts %d e-%d %v, back %s %v", s, coef, scale, ok, r, err)
		}
	}
	if _, _, ok := money.MustRate("9999999999999999999").Parts(); ok {
		t.Error("a coefficient beyond int64 fit")
	}
}

func TestCurrency_digits(t *testing.T) {
	for _, tc := range []struct {
		code   money.Currency
		digits int
		ok     bool
	}{{"EUR", 2, true}, {"JPY", 0, true}, {"BHD", 3, true}, {"ZZZ", 0, false}, {"eur", 0, false}, {"EU", 0, false}, {"EURO", 0, false}, {"", 0, false}, {"E\x00R", 0, false}} {
		if d, ok := tc.code.Digits(); d != tc.digits || ok != tc.ok || tc.code.Valid() != tc.ok {
			t.Errorf("%q: %d %v", tc.code, d, ok)
		}
	}
}
