package ports

import (
	"context"
	"crypto/sha256"
	"time"
)

// Direction says whether an artifact came in or went out.
type Direction string

// The artifact directions.
const (
	Inbound  Direction = "inbound"
	Outbound Direction = "outbound"
)

// ArtifactStatus says whether everything an artifact produced is settled.
// Retention never prunes an unresolved artifact.
type ArtifactStatus string

// The artifact statuses.
const (
	Unresolved ArtifactStatus = "unresolved" // the default: keep it
	Resolved   ArtifactStatus = "resolved"   // settled; may be pruned after retention
)

// Artifact is a raw payload kept byte for byte: an inbound FHIR bundle, claim
// batch or bank file, an outbound document, or a transformed stage of one.
type Artifact struct {
	ID        string
	Tenant    string
	Org       string
	Direction Direction
	MediaType string // "application/fhir+json", "application/edi-x12"
	SHA256    [32]byte
	Body      []byte
	Source    string // where it came from or went: "sftp:/in/835/2026-01-15.edi", "api"
	CreatedAt time.Time
	Parent    string // the artifact this is a transformed stage of; "" for an original
	Status    ArtifactStatus
}

// Ref names a thing an artifact produced: a run, a document, an outbox item.
type Ref struct {
	Kind string // "run", "invoice", "outbox"
	ID   string
}

// Link says that an artifact produced Ref.
type Link struct {
	Artifact string
	Ref      Ref
}

// ArtifactRepo keeps raw payloads and what they produced.
type ArtifactRepo interface {
	// Put stores a new artifact; Status "" means Unresolved. It returns Kind
	// Invalid when SHA256 does not match Body (a zero SHA256 is computed),
	// Kind Conflict, leaving the transaction usable, when the ID exists.
	Put(ctx context.Context, a Artifact) error
	// PutMany stores many artifacts in one round trip and skips those whose
	// ID the tenant already has (IDs derived from content make a redelivered
	// payload a no-op). It returns how many were new.
	PutMany(ctx context.Context, as []Artifact) (int, error)
	// Missing returns, once each and in order, the artifacts among as whose
	// ID their tenant does not have yet.
	Missing(ctx context.Context, as []Artifact) ([]Artifact, error)
	// Create stores new artifacts at once (COPY on Postgres). One whose ID
	// exists fails the batch with Kind Conflict and may leave the
	// transaction unusable: return the error.
	Create(ctx context.Context, as []Artifact) error
	// Get returns an artifact with its body; Kind NotFound if none.
	Get(ctx context.Context, tenant, id string) (Artifact, error)
	// Stages lists the artifacts whose Parent is id, oldest first, without bodies.
	Stages(ctx context.Context, tenant, id string) ([]Artifact, error)
	// SetStatus marks an artifact resolved or unresolved.
	SetStatus(ctx context.Context, tenant, id string, s ArtifactStatus) error
	// Link records that the artifact produced r (idempotent).
	Link(ctx context.Context, tenant, id string, r Ref) error
	// LinkMany records many links of the tenant's artifacts (idempotent).
	LinkMany(ctx context.Context, tenant string, links []Link) error
	// Links lists what the artifact produced, in link order.
	Links(ctx context.Context, tenant, id string) ([]Ref, error)
	// Prune deletes the tenant's resolved artifacts created before `before`,
	// with their links, and returns how many. It never deletes an
	// unresolved artifact, nor one with a stage that is kept.
	Prune(ctx context.Context, tenant string, before time.Time) (int, error)
}

// WithDefaults fills what a store derives when it is left empty: the hash
// of the body, status Unresolved and an empty (not nil) body.
func (a Artifact) WithDefaults() Artifact {
	if a.SHA256 == ([32]byte{}) {
		a.SHA256 = sha256.Sum256(a.Body)
	}
	if a.Status == "" {
		a.Status = Unresolved
	}
	if a.Body == nil {
		a.Body = []byte{}
	}
	return a
}
