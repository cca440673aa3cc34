package rankcontract

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// ConfigMapName is the ConfigMap, owned by the round, where the job leaves its summary.
func ConfigMapName(round string) string { return truncate(round, 200) + "-ranking" }

// JobName is deterministic for a round, its closing time and a re-rank token, so a
// restarted operator finds the Job it created instead of creating a second one, while a
// round whose closesAt was extended after it was ranked gets a new Job at its new close.
func JobName(round string, closesAt time.Time, token string) string {
	sum := sha256.Sum256([]byte(round + "\x00" + strconv.FormatInt(closesAt.Unix(), 10) + "\x00" + token))
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
