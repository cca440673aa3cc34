// Package organizer holds the rules of organizer accounts: their roles, what each role may
// do, and what a username and a password must be. It is plain Go: the console and the
// command line enforce it, the store keeps the accounts.
package organizer

import "fmt"

// Role is what an organizer may do in the console. Each role includes the ones below it.
type Role string

const (
	// Viewer watches: statistics, results, report downloads.
	Viewer Role = "viewer"
	// Editor runs the contest: question banks, units, eligibility, the review queue, the
	// helpdesk, key corrections, publishing and re-ranking results.
	Editor Role = "editor"
	// Admin also manages the organizer accounts and reads the audit log.
	Admin Role = "admin"
)

// Roles lists the roles, least first.
func Roles() []Role { return []Role{Viewer, Editor, Admin} }

func (r Role) rank() int {
	switch r {
	case Viewer:
		return 1
	case Editor:
		return 2
	case Admin:
		return 3
	}
	return 0
}

// ParseRole reads a role by its name.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if r.rank() == 0 {
		return "", fmt.Errorf("unknown role %q: use viewer, editor or admin", s)
	}
	return r, nil
}

// Permission is one kind of console action.
type Permission string

// The console's permissions, by the least role that has them.
const (
	SeeStatistics     Permission = "statistics"  // viewer
	DownloadReports   Permission = "reports"     // viewer
	EditBanks         Permission = "banks"       // editor
	EditUnits         Permission = "units"       // editor
	DecideEligibility Permission = "eligibility" // editor
	Helpdesk          Permission = "helpdesk"    // editor
	Publish           Permission = "publish"     // editor
	Rerank            Permission = "rerank"      // editor
	CorrectKeys       Permission = "corrections" // editor: key corrections show and change answer keys
	ManageAccounts    Permission = "accounts"    // admin
	ReadAudit         Permission = "audit"       // admin

	// ReviewIntegrity (editor): see the review queue (evidence about named people, not
	// proven) and decide on it. Viewers do not see it: watching the contest needs no
	// unproven suspicion, and the report shows the decisions.
	ReviewIntegrity Permission = "integrity"
)

var needs = map[Permission]Role{
	SeeStatistics: Viewer, DownloadReports: Viewer,
	EditBanks: Editor, EditUnits: Editor, DecideEligibility: Editor, Helpdesk: Editor, Publish: Editor, Rerank: Editor, CorrectKeys: Editor,
	ManageAccounts: Admin, ReadAudit: Admin,
	ReviewIntegrity: Editor,
}

// Permissions lists every permission.
func Permissions() []Permission {
	out := make([]Permission, 0, len(needs))
	for p := range needs {
		out = append(out, p)
	}
	return out
}

// Can says whether the role may do what the permission covers. An unknown role or
// permission may do nothing.
func (r Role) Can(p Permission) bool {
	need, ok := needs[p]
	return ok && r.rank() >= need.rank()
}

// Needs is the least role that has the permission.
func Needs(p Permission) Role { return needs[p] }

// The audit log's actions: what an organizer (or the command line, or the Secret) did.
const (
	ActionSignIn          = "session.signin"
	ActionSignOut         = "session.signout"
	ActionAccountCreate   = "account.create"
	ActionAccountRole     = "account.role"
	ActionAccountDisable  = "account.disable"
	ActionAccountEnable   = "account.enable"
	ActionAccountReset    = "account.reset"
	ActionAccountPassword = "account.password"
	ActionProvisionCreate = "account.provision.create"
	ActionProvisionUpdate = "account.provision.update"
	ActionProvisionDrop   = "account.provision.disable"
	ActionAuditExport     = "audit.export"
	ActionBankUpload      = "bank.upload"
	ActionPublish         = "results.publish"
	ActionUnpublish       = "results.unpublish"
	ActionReportDownload  = "report.download"
	ActionRerank          = "results.rerank"
	// ActionEligibilityFlag and ActionEligibilityUnflag: a person excluded from prizes by
	// hand, or that exclusion lifted.
	ActionEligibilityFlag   = "eligibility.flag"
	ActionEligibilityUnflag = "eligibility.unflag"
	// The helpdesk: finding a contestant reads personal data, so each lookup is recorded
	// (found or not); a reset code issued for the person is recorded without the code.
	ActionHelpdeskLookup = "helpdesk.lookup"
	ActionHelpdeskCode   = "helpdesk.code"
	// The unit list uploaded in the console, a spelling mapped to a unit and a mapping
	// undone (units.*, so the log's filter "units" finds all three).
	ActionUnitsImport = "units.import"
	ActionUnitsMap    = "units.map"
	ActionUnitsUnmap  = "units.unmap"
	// The daily participation export (by unit and locality) downloaded.
	ActionParticipationDownload = "participation.download"
	// ActionKeyCorrection: a question of a round scored with another key from now on, and
	// the round's attempts scored again (the entry says the old and new key and what changed).
	ActionKeyCorrection = "key.correct"
	// A round's prize certificates downloaded as one file (it names the winners).
	ActionCertificatesDownload = "certificates.download"

	// The review queue: a person excluded from prizes on its evidence (the eligibility flag
	// is set in the same transaction), or found not in breach.
	ActionIntegrityExclude = "integrity.exclude"
	ActionIntegrityDismiss = "integrity.dismiss"
)

// Actions lists every audit action, for labels and filters.
func Actions() []string {
	return []string{ActionSignIn, ActionSignOut, ActionAccountCreate, ActionAccountRole, ActionAccountDisable, ActionAccountEnable,
		ActionAccountReset, ActionAccountPassword, ActionProvisionCreate, ActionProvisionUpdate, ActionProvisionDrop,
		ActionAuditExport, ActionBankUpload, ActionPublish, ActionUnpublish, ActionReportDownload, ActionRerank,
		ActionEligibilityFlag, ActionEligibilityUnflag,
		ActionHelpdeskLookup, ActionHelpdeskCode,
		ActionUnitsImport, ActionUnitsMap, ActionUnitsUnmap, ActionParticipationDownload, ActionKeyCorrection,
		ActionCertificatesDownload, ActionIntegrityExclude, ActionIntegrityDismiss}
}
