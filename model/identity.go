package model

// The identity side of an account export (aws iam
// get-account-authorization-details): the users, groups and roles of the
// account with their permissions policies, and the managed policies with
// their default versions. The audit reads it to tell which principals of
// the account may assume which role.

// PrincipalKind is the kind of an identity of the account.
type PrincipalKind string

// Kinds of identities.
const (
	KindUser  PrincipalKind = "user"
	KindGroup PrincipalKind = "group"
	KindRole  PrincipalKind = "role"
)

// PermissionPolicy is one permissions (identity) policy: an inline policy
// of a user, group or role.
type PermissionPolicy struct {
	// Name is the inline policy name.
	Name string
	// Document is the normalized policy in IAM's own shape, as Role.Policy
	// (Statement is a list; Action, NotAction, Resource, NotResource are
	// lists), or the raw value when it is not an object.
	Document any
}

// Identity is what an export says about the permissions of one user, group
// or role.
type Identity struct {
	Kind PrincipalKind
	// Name is the user, group or role name; ARN its ARN.
	Name string
	ARN  string
	// Groups names the groups of a user.
	Groups []string
	// Inline are the inline policies (UserPolicyList, GroupPolicyList,
	// RolePolicyList).
	Inline []PermissionPolicy
	// Managed are the ARNs of the attached managed policies.
	Managed []string
	// LastUsed is a role's RoleLastUsed, nil when the export has none.
	LastUsed *RoleUsage
	// Range is where the export declares it.
	Range Range
}

// RoleUsage is a role's RoleLastUsed: when and where it was last used.
type RoleUsage struct {
	// Date is LastUsedDate as written (RFC 3339); Region the region.
	Date   string `json:"date"`
	Region string `json:"region"`
}

// ManagedPolicy is a managed policy of an export (its Policies list) with
// the document of its default version.
type ManagedPolicy struct {
	ARN  string
	Name string
	// DefaultVersion is DefaultVersionId ("v3").
	DefaultVersion string
	// Document is the normalized document of the default version (the
	// version whose IsDefaultVersion is true, else the one named by
	// DefaultVersionId), or nil when the export does not carry it.
	Document any
}

// AccountSink receives the identity side of an account export while it is
// parsed. Implementations must be safe for concurrent use: several files
// may be parsed at once.
type AccountSink interface {
	// Identity receives a user or group, or the permissions of a role (the
	// role itself is emitted as a Role; Identity.ARN links them).
	Identity(*Identity)
	// ManagedPolicy receives a managed policy.
	ManagedPolicy(*ManagedPolicy)
}
