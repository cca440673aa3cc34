package v1alpha1_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
)

// spec.integrity: an empty one gets the defaults from the API server; wrong thresholds are
// refused with what to fix.
func TestIntegrityThresholds(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	obj := sample(t, "contest_v1alpha1_contestround_dot1.yaml")
	obj.SetNamespace(ns)
	obj.Object["spec"].(map[string]any)["integrity"] = map[string]any{}
	if err := env.Client.Create(ctx, obj); err != nil {
		t.Fatalf("round with an empty integrity refused: %v", err)
	}
	var round contestv1alpha1.ContestRound
	if err := env.Client.Get(ctx, client.ObjectKeyFromObject(obj), &round); err != nil {
		t.Fatal(err)
	}
	in := round.Spec.Integrity
	if in == nil || in.FastPerfectSeconds == nil || *in.FastPerfectSeconds != 60 || *in.SharedDeviceAccounts != 3 ||
		*in.SharedNetworkAccounts != 30 || *in.SharedWindowMinutes != 10 {
		t.Fatalf("defaults not applied: %+v", in)
	}

	tests := []struct {
		name      string
		integrity map[string]any
		timeLimit string
		want      string
	}{
		{"zero seconds", map[string]any{"fastPerfectSeconds": int64(0)}, "",
			"spec.integrity.fastPerfectSeconds in body should be greater than or equal to 1"},
		{"as long as the time limit", map[string]any{"fastPerfectSeconds": int64(1800)}, "30m",
			"integrity.fastPerfectSeconds must be shorter than exam.timeLimit"},
		{"longer than a 5-minute limit", map[string]any{"fastPerfectSeconds": int64(301)}, "5m",
			"integrity.fastPerfectSeconds must be shorter than exam.timeLimit"},
		{"one account is not sharing", map[string]any{"sharedDeviceAccounts": int64(1)}, "",
			"spec.integrity.sharedDeviceAccounts in body should be greater than or equal to 2"},
		{"device threshold above the network's", map[string]any{"sharedDeviceAccounts": int64(40), "sharedNetworkAccounts": int64(30)}, "",
			"sharedDeviceAccounts must not exceed sharedNetworkAccounts"},
		{"device threshold above the network's default", map[string]any{"sharedDeviceAccounts": int64(40)}, "",
			"sharedDeviceAccounts must not exceed sharedNetworkAccounts"},
		{"a window of a day and a minute", map[string]any{"sharedWindowMinutes": int64(1441)}, "",
			"spec.integrity.sharedWindowMinutes in body should be less than or equal to 1440"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := sample(t, "contest_v1alpha1_contestround_dot1.yaml")
			obj.SetNamespace(ns)
			obj.SetName(fmt.Sprintf("integrity-%d", i))
			spec := obj.Object["spec"].(map[string]any)
			spec["integrity"] = tt.integrity
			if tt.timeLimit != "" {
				spec["exam"].(map[string]any)["timeLimit"] = tt.timeLimit
			}
			err := env.Client.Create(ctx, obj)
			if err == nil {
				t.Fatal("the API server accepted the thresholds")
			}
			if !apierrors.IsInvalid(err) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("message does not say what to fix:\n got: %v\nwant: …%s…", err, tt.want)
			}
		})
	}

	// Just under the time limit is fine, and so is a device threshold equal to the network's.
	ok := sample(t, "contest_v1alpha1_contestround_dot1.yaml")
	ok.SetNamespace(ns)
	ok.SetName("integrity-ok")
	ok.Object["spec"].(map[string]any)["integrity"] = map[string]any{"fastPerfectSeconds": int64(1799), "sharedDeviceAccounts": int64(30)}
	if err := env.Client.Create(ctx, ok); err != nil {
		t.Fatalf("1799 s under a 30m limit refused: %v", err)
	}
}
