// Package v1alpha1 contains the API of the contest platform: the ContestRound resource
// that declares one round of an online knowledge contest.
// +kubebuilder:object:generate=true
// +groupName=contest.dxcontest.io
package v1alpha1

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/scheme"
)

var (
	// GroupVersion is the group and version of the contest platform's API.
	GroupVersion = schema.GroupVersion{Group: "contest.dxcontest.io", Version: "v1alpha1"}

	// SchemeBuilder adds the API's Go types to a scheme.
	SchemeBuilder = &scheme.Builder{GroupVersion: GroupVersion}

	// AddToScheme adds the types in this group-version to the given scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)
