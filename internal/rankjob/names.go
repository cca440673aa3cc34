package rankjob

import (
	"crypto/sha256"
	"encoding/hex"
)

// ConfigMapName is the ConfigMap, owned by the round, where the job leaves its summary.
func ConfigMapName(round string) string { return truncate(round, 200) + "-ranking" }

// JobName is deterministic for a round and a re-rank token, so a restarted operator finds
// the Job it created instead of creating a second one.
func JobName(round, token string) string {
	sum := sha256.Sum256([]byte(round + "\x00" + token))
	return truncate(round, 46) + "-rank-" + hex.EncodeToString(sum[:4])
}

// RoleName is the per-round Role that lets the job read its round and write its ConfigMap.
func RoleName(round string) string { return truncate(round, 200) + "-rank" }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
