package app

import (
	"encoding/json"

	"github.com/revhub/revhub/core/audit"
)

// auditDraft builds an audit draft with before/after rendered as JSON.
func auditDraft(actor, action, subject, reason string, before, after any) audit.Draft {
	return audit.Draft{Actor: actor, Action: action, Subject: subject, Reason: reason, Before: asJSON(before), After: asJSON(after)}
}

func asJSON(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"unrenderable": err.Error()})
	}
	return b
}
