package capture

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/revhub/revhub/core/money"
)

// TestDecodePlain_readsEveryField decodes a resource that sets every field
// of Resource and of the types within it, each list with one element: a
// field added to them but not to decodePlain would be skipped as unknown,
// and the result would differ from json.Unmarshal's.
func TestDecodePlain_readsEveryField(t *testing.T) {
	doc := fullJSON(reflect.TypeFor[Resource](), "")
	doc["resourceType"] = "Procedure"
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := decodePlain(data)
	if !ok {
		t.Fatalf("decodePlain refused %s", data)
	}
	var want Resource
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("decodePlain read %s as\n%+v\nwant\n%+v", data, got, want)
	}
}

// fullJSON returns a JSON object for struct type t with every field set:
// strings to their path, quantities to 1.5, lists to one element.
func fullJSON(t reflect.Type, path string) map[string]any {
	out := map[string]any{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		out[name] = fullValue(f.Type, path+"."+name)
	}
	return out
}

func fullValue(t reflect.Type, path string) any {
	switch {
	case t == reflect.TypeFor[money.Rate]():
		return 1.5
	case t.Kind() == reflect.String:
		return path
	case t.Kind() == reflect.Pointer:
		return fullValue(t.Elem(), path)
	case t.Kind() == reflect.Slice:
		return []any{fullValue(t.Elem(), path)}
	case t.Kind() == reflect.Struct:
		return fullJSON(t, path)
	}
	panic("no value for " + t.String() + " at " + path)
}
