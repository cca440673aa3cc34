package v1alpha1

import (
	"fmt"
	"os"
	"testing"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"

	"github.com/dxcontest/contest-platform/internal/integrity"
)

// The integrity thresholds' Go fallbacks say what the CRD's defaults say, and what the
// review queue's own defaults are (internal/integrity).
func TestIntegrityFallbacksMatchCRDDefaults(t *testing.T) {
	raw, err := os.ReadFile("../../config/crd/bases/contest.dxcontest.io_contestrounds.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var crd apiextensionsv1.CustomResourceDefinition
	if err := yaml.Unmarshal(raw, &crd); err != nil {
		t.Fatal(err)
	}
	props := crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"].Properties["integrity"].Properties
	for field, want := range map[string]int32{"fastPerfectSeconds": DefaultFastPerfectSeconds, "sharedDeviceAccounts": DefaultSharedDeviceAccounts,
		"sharedNetworkAccounts": DefaultSharedNetworkAccounts, "sharedWindowMinutes": DefaultSharedWindowMinutes} {
		p, ok := props[field]
		if !ok || p.Default == nil || string(p.Default.Raw) != fmt.Sprint(want) {
			t.Errorf("integrity.%s: CRD default %v, Go fallback %d", field, p.Default, want)
		}
	}
	var absent *IntegrityRules
	if absent.FastPerfect() != integrity.DefaultFastPerfect || absent.DeviceAccounts() != integrity.DefaultDeviceAccounts ||
		absent.NetworkAccounts() != integrity.DefaultNetworkAccounts || absent.SharedWindow() != integrity.DefaultWindow {
		t.Error("a round without spec.integrity does not fall back to the review queue's defaults")
	}
	seconds, accounts := int32(45), int32(7)
	set := &IntegrityRules{FastPerfectSeconds: &seconds, SharedNetworkAccounts: &accounts}
	if set.FastPerfect() != 45*time.Second || set.NetworkAccounts() != 7 || set.DeviceAccounts() != 3 || set.SharedWindow() != 10*time.Minute {
		t.Errorf("set fields: %v %d %d %v", set.FastPerfect(), set.NetworkAccounts(), set.DeviceAccounts(), set.SharedWindow())
	}
}
