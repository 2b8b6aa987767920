package mappings

import (
	"path"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// secretWords are key segments that mark a setting as secret.
var secretWords = map[string]bool{
	"password": true, "passwd": true, "passphrase": true, "secret": true,
	"token": true, "apikey": true, "credentials": true, "credential": true,
}

// secretPairs are two-segment secret names: api_key, private_key, ...
var secretPairs = map[string]bool{"api_key": true, "private_key": true, "access_key": true, "signing_key": true, "client_key": true,
	"account_number": true}

// notSecretTail are last segments that make a secret-sounding key harmless:
// token_url names where to fetch a token, not the token.
var notSecretTail = map[string]bool{"url": true, "uri": true, "endpoint": true, "ttl": true, "type": true, "name": true, "header": true}

// looksSecret reports whether a settings key names a secret value.
func looksSecret(key string) bool {
	segs := strings.Split(strings.ToLower(key), "_")
	if notSecretTail[segs[len(segs)-1]] {
		return false
	}
	for i, s := range segs {
		if secretWords[s] || (i > 0 && secretPairs[segs[i-1]+"_"+s]) {
			return true
		}
	}
	return false
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// validRef reports whether ref is "env:NAME" or "file:/absolute/path".
func validRef(ref string) bool {
	kind, rest, ok := strings.Cut(ref, ":")
	switch {
	case !ok:
		return false
	case kind == "env":
		return envName.MatchString(rest)
	case kind == "file":
		return strings.HasPrefix(rest, "/") && path.Clean(rest) == rest
	}
	return false
}

// secretValue matches values that are secrets whatever their key.
var secretValue = regexp.MustCompile(`^(-----BEGIN [A-Z ]*PRIVATE KEY-----|(sk|rk)_live_[A-Za-z0-9]+)`)

// checkSecrets walks a binding's settings and reports inline secrets and
// malformed references.
func (f *file) checkSecrets(n *yaml.Node, p string) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			kp := joinPath(p, k.Value)
			switch {
			case strings.HasSuffix(k.Value, "_ref"):
				if v.Kind != yaml.ScalarNode || !validRef(v.Value) {
					f.add(v, kp, "bad_secret_ref", `a secret reference must be "env:NAME" or "file:/absolute/path"`)
				}
			case looksSecret(k.Value) && !isNull(v):
				f.add(k, kp, "inline_secret", "secrets never live in mappings: name the key %s_ref and give env:NAME or file:/path", k.Value)
			default:
				f.checkSecrets(v, kp)
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			f.checkSecrets(c, p+"["+strconv.Itoa(i)+"]")
		}
	case yaml.ScalarNode:
		if secretValue.MatchString(n.Value) {
			f.add(n, p, "inline_secret", "value looks like a secret; give a _ref key with env:NAME or file:/path instead")
		}
	}
}
