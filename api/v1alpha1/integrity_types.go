package v1alpha1

import "time"

// IntegrityRules set when the organizer console's review queue lists a person of this round
// for organizers to look at. They never exclude anyone: a listed person keeps every right
// until an organizer decides, with a reason. Changing them changes only the queue, at any
// time, even while the round is open.
// +kubebuilder:validation:XValidation:rule="!has(self.sharedDeviceAccounts) || !has(self.sharedNetworkAccounts) || self.sharedDeviceAccounts <= self.sharedNetworkAccounts",message="sharedDeviceAccounts must not exceed sharedNetworkAccounts: a device is on a network, so its threshold cannot be the larger"
type IntegrityRules struct {
	// FastPerfectSeconds: an attempt with every answer right, submitted in fewer seconds
	// than this, is listed for review (default 60: faster than reading the questions).
	// +optional
	// +kubebuilder:default=60
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=10800
	FastPerfectSeconds *int32 `json:"fastPerfectSeconds,omitempty"`

	// SharedDeviceAccounts: this many different accounts starting attempts from one device
	// (the same browser on the same network) within sharedWindowMinutes are listed for
	// review (default 3). A school lab's identical computers look like one device.
	// +optional
	// +kubebuilder:default=3
	// +kubebuilder:validation:Minimum=2
	// +kubebuilder:validation:Maximum=10000
	SharedDeviceAccounts *int32 `json:"sharedDeviceAccounts,omitempty"`

	// SharedNetworkAccounts: this many different accounts starting attempts from one
	// network (/24 of IPv4, /64 of IPv6) within sharedWindowMinutes are listed for review
	// (default 30). Carriers put many subscribers behind one address, and offices and
	// schools share one: this is normal, and only ever a reason to look.
	// +optional
	// +kubebuilder:default=30
	// +kubebuilder:validation:Minimum=2
	// +kubebuilder:validation:Maximum=100000
	SharedNetworkAccounts *int32 `json:"sharedNetworkAccounts,omitempty"`

	// SharedWindowMinutes is the window the two counts above are taken in (default 10).
	// +optional
	// +kubebuilder:default=10
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=1440
	SharedWindowMinutes *int32 `json:"sharedWindowMinutes,omitempty"`
}

// Fallbacks of the integrity thresholds, equal to the CRD's defaults (a test keeps them in
// step with internal/integrity's).
const (
	DefaultFastPerfectSeconds    = int32(60)
	DefaultSharedDeviceAccounts  = int32(3)
	DefaultSharedNetworkAccounts = int32(30)
	DefaultSharedWindowMinutes   = int32(10)
)

// FastPerfect is the time under which a perfect attempt is listed for review.
func (r *IntegrityRules) FastPerfect() time.Duration {
	return time.Duration(orDefault(r, func(r *IntegrityRules) *int32 { return r.FastPerfectSeconds }, DefaultFastPerfectSeconds)) * time.Second
}

// DeviceAccounts is how many accounts on one device within the window are listed.
func (r *IntegrityRules) DeviceAccounts() int {
	return int(orDefault(r, func(r *IntegrityRules) *int32 { return r.SharedDeviceAccounts }, DefaultSharedDeviceAccounts))
}

// NetworkAccounts is how many accounts on one network within the window are listed.
func (r *IntegrityRules) NetworkAccounts() int {
	return int(orDefault(r, func(r *IntegrityRules) *int32 { return r.SharedNetworkAccounts }, DefaultSharedNetworkAccounts))
}

// SharedWindow is the window the device and network counts are taken in.
func (r *IntegrityRules) SharedWindow() time.Duration {
	return time.Duration(orDefault(r, func(r *IntegrityRules) *int32 { return r.SharedWindowMinutes }, DefaultSharedWindowMinutes)) * time.Minute
}

// orDefault reads a field of rules that may be absent (a nil *IntegrityRules is a round
// without spec.integrity).
func orDefault(r *IntegrityRules, field func(*IntegrityRules) *int32, def int32) int32 {
	if r == nil {
		return def
	}
	if v := field(r); v != nil {
		return *v
	}
	return def
}
