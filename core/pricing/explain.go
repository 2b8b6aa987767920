package pricing

// Considered is one list looked at while resolving, and what happened to it.
type Considered struct {
	List    string `json:"list"`
	Kind    Kind   `json:"kind"`
	Payer   string `json:"payer,omitempty"`
	Plan    string `json:"plan,omitempty"`
	Org     string `json:"org,omitempty"`
	Outcome string `json:"outcome"` // "won", "scope_mismatch", "not_in_force", "lower_precedence", "kind_not_in_precedence"
	Version string `json:"version,omitempty"`
}

// Outcomes of a considered list.
const (
	OutcomeWon             = "won"
	OutcomeScopeMismatch   = "scope_mismatch"
	OutcomeNotInForce      = "not_in_force"
	OutcomeLowerPrecedence = "lower_precedence"
	OutcomeNotInPrecedence = "kind_not_in_precedence"
)

// Explain lists every price list of q's service in resolution order with its
// outcome for q. It allocates; use it for traces, not on the hot path.
func (t *Tariff) Explain(q Query) []Considered {
	p := t.probe(q.System, q.Service)
	r, _ := t.record(&p, q.System, q.Service)
	if r == nil {
		return nil
	}
	sid := r[rSID]
	n := uint8(len(t.prec))
	won := false
	var out []Considered
	for i := t.svcStart[sid]; i < t.svcStart[sid+1]; i++ {
		s := &t.series[i]
		c := Considered{List: t.strs[s.list], Kind: s.kind, Payer: t.strs[s.payer], Plan: t.strs[s.plan], Org: t.strs[s.org]}
		switch {
		case s.rank >= n:
			c.Outcome = OutcomeNotInPrecedence
		case !t.inScope(s.payer, q.Payer) || !t.inScope(s.plan, q.Plan) || !t.inScope(s.org, q.Org):
			c.Outcome = OutcomeScopeMismatch
		case won:
			c.Outcome = OutcomeLowerPrecedence
		default:
			if v := t.at(s, q.Date); v >= 0 {
				c.Outcome, c.Version, won = OutcomeWon, t.docs[t.vers[v].doc].version, true
			} else {
				c.Outcome = OutcomeNotInForce
			}
		}
		out = append(out, c)
	}
	return out
}
