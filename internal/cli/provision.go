package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"

	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/password"
	"github.com/dxcontest/contest-platform/internal/store"
)

// provisionedAccounts reads the organizer accounts the Secret lists: the JSON list in
// CONTEST_CONSOLE_ACCOUNTS, and the older single admin account. Each is checked: a bad one
// stops the web app with the account and what is wrong.
func provisionedAccounts() ([]store.ProvisionedOrganizer, error) {
	var list []store.ProvisionedOrganizer
	if raw := os.Getenv(consoleAccountsEnv); raw != "" {
		if err := json.Unmarshal([]byte(raw), &list); err != nil {
			return nil, fmt.Errorf("%s is not a JSON list of {username, role, passwordHash}: %w", consoleAccountsEnv, err)
		}
	}
	user, hash := os.Getenv(adminUsernameEnv), os.Getenv(adminPasswordHashEnv)
	switch {
	case user != "" && hash != "":
		list = append(list, store.ProvisionedOrganizer{Username: user, Role: string(organizer.Admin), PasswordHash: hash})
	case user != "" || hash != "":
		return nil, fmt.Errorf("give both %s and %s, or neither", adminUsernameEnv, adminPasswordHashEnv)
	}
	seen := map[string]bool{}
	for i, p := range list {
		if err := organizer.CheckUsername(p.Username); err != nil {
			return nil, fmt.Errorf("organizer account %d: %w", i+1, err)
		}
		if _, err := organizer.ParseRole(p.Role); err != nil {
			return nil, fmt.Errorf("organizer account %s: %w", p.Username, err)
		}
		if _, err := password.Parse(p.PasswordHash); err != nil {
			return nil, fmt.Errorf("organizer account %s: the password hash is not an argon2id hash: make one with `contest admin hash-password`", p.Username)
		}
		if seen[p.Username] {
			return nil, fmt.Errorf("organizer account %s is listed twice", p.Username)
		}
		seen[p.Username] = true
	}
	return list, nil
}

// provisionAccounts makes the database's accounts follow the Secret, and records what
// changed in the audit log (actor "secret").
func provisionAccounts(ctx context.Context, q store.Querier, logger *slog.Logger) error {
	list, err := provisionedAccounts()
	if err != nil {
		return err
	}
	return store.InTx(ctx, q, func(tx store.Querier) error {
		res, err := store.ProvisionOrganizers(ctx, tx, list)
		if err != nil {
			return err
		}
		for action, names := range map[string][]string{organizer.ActionProvisionCreate: res.Created, organizer.ActionProvisionUpdate: res.Updated,
			organizer.ActionProvisionDrop: res.Disabled} {
			for _, n := range names {
				if err := store.AppendAudit(ctx, tx, store.AuditEntry{Actor: "secret", Action: action, Target: n}); err != nil {
					return err
				}
				logger.Info("organizer account provisioned from the Secret", "user", n, "change", action)
			}
		}
		return nil
	})
}

func encodeJSON(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	return json.Marshal(v)
}
