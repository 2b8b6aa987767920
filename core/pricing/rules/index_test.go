package rules

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"strconv"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing/day"
)

// naiveApply is the specification Apply's index must agree with: every rule
// in application order, each condition tested directly.
func (s *Set) naiveApply(f *Facts, base Base) (Result, error) {
	res := Result{UnitPrice: base.UnitPrice, Amount: base.Amount}
	d := day.Of(f.At)
	h, m, _ := f.At.Clock()
	holiday := s.holiday(d)
	used := map[int]bool{}
	for i := range s.rules {
		c := &s.rules[i]
		if !c.period.Contains(d) || (c.group >= 0 && used[c.group]) || !c.naiveMatch(f, h*60+m, f.At.Weekday(), holiday) {
			continue
		}
		if c.group >= 0 {
			used[c.group] = true
		}
		var a Applied
		c.prepare(&a)
		if err := c.apply(&res, base.Quantity, &a); err != nil {
			return Result{}, err
		}
		res.Applied = append(res.Applied, a)
		if res.NotBillable {
			break
		}
	}
	return res, nil
}

func (c *compiled) naiveMatch(f *Facts, minute int, wd time.Weekday, holiday bool) bool {
	w := &c.when
	has := func(list []string, v string) bool {
		for _, x := range list {
			if x == v {
				return true
			}
		}
		return false
	}
	anyOf := func(list, vs []string) bool {
		for _, v := range vs {
			if has(list, v) {
				return true
			}
		}
		return false
	}
	if len(w.Services) > 0 && !has(w.Services, f.Service) ||
		len(w.ServiceGroups) > 0 && !anyOf(w.ServiceGroups, f.ServiceGroups) ||
		len(w.Payers) > 0 && !has(w.Payers, f.Payer) ||
		len(w.Plans) > 0 && !has(w.Plans, f.Plan) ||
		len(w.Orgs) > 0 && !has(w.Orgs, f.Org) ||
		len(w.EncounterClasses) > 0 && !has(w.EncounterClasses, f.EncounterClass) ||
		len(w.Practitioners) > 0 && !has(w.Practitioners, f.Practitioner) ||
		len(w.Roles) > 0 && !anyOf(w.Roles, f.Roles) ||
		len(w.Sexes) > 0 && !has(w.Sexes, f.Sex) ||
		len(w.PatientFlags) > 0 && !anyOf(w.PatientFlags, f.PatientFlags) {
		return false
	}
	if (w.MinAge != nil || w.MaxAge != nil) && (!f.AgeKnown || f.Age < c.minAge || f.Age > c.maxAge) {
		return false
	}
	if (c.days != 0 || c.holiday) && c.days&(1<<wd) == 0 && !(c.holiday && holiday) {
		return false
	}
	return len(c.minutes) == 0 || c.inHours(minute)
}

// randomBook draws n rules over small value sets so that conditions often
// hold, overlap and collide in exclusive groups.
func randomBook(rng *rand.Rand, n int) Config {
	pick := func(prefix string, k int) []string {
		var out []string
		for range rng.IntN(3) * rng.IntN(2) * rng.IntN(2) {
			out = append(out, prefix+strconv.Itoa(rng.IntN(k)))
		}
		return out
	}
	clocks := []string{"00:00", "06:30", "08:00", "12:00", "18:15", "20:00", "23:59", "24:00"}
	days := []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "holiday"}
	cfg := Config{Rounding: money.HalfUp}
	for i := range n {
		pct := money.MustRate(strconv.Itoa(1 + rng.IntN(30)))
		from := day.Date(2024, time.Month(1+rng.IntN(24)), 1)
		r := Rule{ID: "r" + strconv.Itoa(i), Version: "1", ValidFrom: from, Priority: rng.IntN(10),
			Then: Action{Kind: Surcharge, Percent: &pct}}
		if rng.IntN(3) == 0 {
			r.ValidTo = from + day.Day(1+rng.IntN(400))
		}
		switch rng.IntN(8) {
		case 0:
			r.Then.Kind = Discount
		case 1:
			r.Then = Action{Kind: ReplacePrice, UnitPrice: &pct}
		case 2:
			r.Then = Action{Kind: NotBillable}
		case 3:
			one := money.Int(1)
			r.Then = Action{Kind: AddCharge, Service: "x", Quantity: &one}
		}
		if g := rng.IntN(5); g < 3 {
			r.ExclusiveGroup = "g" + strconv.Itoa(g)
		}
		w := &r.When
		w.Services, w.ServiceGroups, w.Practitioners, w.Roles = pick("s", 4), pick("sg", 3), pick("p", 3), pick("role", 3)
		w.Sexes, w.PatientFlags, w.EncounterClasses = pick("sex", 2), pick("f", 3), pick("c", 3)
		w.Payers, w.Plans, w.Orgs = pick("payer", 3), pick("plan", 2), pick("org", 3)
		if rng.IntN(4) == 0 {
			w.Payers = append(w.Payers, "") // matches a charge without payer
		}
		for range rng.IntN(3) {
			a, b := clocks[rng.IntN(len(clocks)-1)], clocks[1+rng.IntN(len(clocks)-1)]
			if a != b {
				w.Hours = append(w.Hours, HourRange{From: a, To: b})
			}
		}
		for range rng.IntN(3) {
			w.Days = append(w.Days, days[rng.IntN(len(days))])
		}
		if rng.IntN(3) == 0 {
			lo, hi := rng.IntN(20), 20+rng.IntN(60)
			w.MinAge = &lo
			if rng.IntN(2) == 0 {
				w.MaxAge = &hi
			}
		}
		cfg.Rules = append(cfg.Rules, r)
	}
	return cfg
}

func randomFacts(rng *rand.Rand) Facts {
	one := func(prefix string, k int) string {
		if rng.IntN(4) == 0 {
			return ""
		}
		return prefix + strconv.Itoa(rng.IntN(k))
	}
	many := func(prefix string, k int) []string {
		var out []string
		for range rng.IntN(3) {
			out = append(out, prefix+strconv.Itoa(rng.IntN(k)))
		}
		return out
	}
	loc := []*time.Location{time.UTC, time.FixedZone("CET", 3600), time.FixedZone("X", -5*3600-1800)}[rng.IntN(3)]
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, loc).Add(time.Duration(rng.IntN(3*365*24*60)) * time.Minute)
	return Facts{Service: one("s", 5), ServiceGroups: many("sg", 4), At: at, Practitioner: one("p", 4), Roles: many("role", 4),
		Age: rng.IntN(100) - 1, AgeKnown: rng.IntN(5) > 0, Sex: one("sex", 3), PatientFlags: many("f", 4),
		EncounterClass: one("c", 4), Payer: one("payer", 4), Plan: one("plan", 3), Org: one("org", 4)}
}

// TestApply_indexAgreesWithNaiveScan checks the indexed Apply against the
// rule-by-rule specification on random rule books (up to 3 mask words) and
// the example book.
func TestApply_indexAgreesWithNaiveScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	holidays := []day.Day{day.MustParse("2024-05-01"), day.MustParse("2025-12-25")}
	b, err := os.ReadFile("testdata/examples.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var examples Config
	if err := yaml.NewDecoder(bytes.NewReader(b)).Decode(&examples); err != nil {
		t.Fatal(err)
	}
	books := []Config{examples}
	for _, n := range []int{5, 12, 40, 64, 65, 150} {
		books = append(books, randomBook(rng, n))
	}
	base := Base{UnitPrice: money.MustRate("14.87"), Quantity: money.Int(2), Amount: money.MustNew(2974, money.EUR)}
	for bi, cfg := range books {
		s, err := Compile(cfg, holidays)
		if err != nil {
			t.Fatalf("book %d: %v", bi, err)
		}
		applied := 0
		for i := range 3000 {
			f := randomFacts(rng)
			if bi == 0 { // the example book's own vocabulary
				f.Service, f.ServiceGroups = []string{"03000", "01210"}[i%2], [][]string{nil, {"consultation"}}[i/2%2]
				f.Payer, f.Plan = []string{"", "aok", "self", "internal"}[i%4], []string{"", "basic"}[i/4%2]
				f.PatientFlags, f.EncounterClass = [][]string{nil, {"disability"}}[i/8%2], []string{"", "EMER"}[i/16%2]
			}
			got, err1 := s.Apply(&f, base, nil)
			want, err2 := s.naiveApply(&f, base)
			if fmt.Sprint(err1) != fmt.Sprint(err2) || !reflect.DeepEqual(got, want) {
				t.Fatalf("book %d, facts %+v:\nindex %+v (%v)\nnaive %+v (%v)", bi, f, got, err1, want, err2)
			}
			applied += len(got.Applied)
		}
		if applied == 0 {
			t.Errorf("book %d: no rule ever applied; the comparison proves nothing", bi)
		}
	}
}
