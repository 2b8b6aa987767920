package httpapi

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// DocDrift compares the route table with openapi.json and lists every
// route the document lacks and every documented operation no route serves.
// Tests assert it is empty, so the document never drifts from the code.
func (s *Server) DocDrift() ([]string, error) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			switch method {
			case "get", "put", "post", "delete", "options", "head", "patch", "trace":
				documented[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	var drift []string
	for _, rt := range s.Routes() {
		key := rt.Method + " " + strings.ReplaceAll(rt.Pattern, "...}", "}")
		if !documented[key] {
			drift = append(drift, "not in openapi.json: "+key)
		}
		delete(documented, key)
	}
	for key := range documented {
		drift = append(drift, "no route serves: "+key)
	}
	slices.Sort(drift)
	return drift, nil
}
