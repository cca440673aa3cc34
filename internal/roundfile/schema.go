package roundfile

import (
	"errors"
	"fmt"

	apiextensionsinternal "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/runtime/schema"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"sigs.k8s.io/yaml"
)

// crdSchema is one version of a CRD prepared the way the API server prepares it when it
// starts serving the resource (apiextensions-apiserver's customresource_handler.go).
type crdSchema struct {
	gvk        schema.GroupVersionKind
	namespaced bool
	// structural drives pruning, defaulting, list-type and CEL checks.
	structural *structuralschema.Structural
	// openAPI checks types, formats, patterns, bounds, enums and required fields.
	openAPI apiservervalidation.SchemaValidator
	// cel is nil when the schema has no x-kubernetes-validations.
	cel *cel.Validator
}

// newCRDSchema parses a CustomResourceDefinition (YAML) and prepares the schema of the
// given version.
func newCRDSchema(crdYAML []byte, version string) (*crdSchema, error) {
	var crd apiextensionsv1.CustomResourceDefinition
	if err := yaml.UnmarshalStrict(crdYAML, &crd); err != nil {
		return nil, fmt.Errorf("parse CustomResourceDefinition: %w", err)
	}
	var v *apiextensionsv1.CustomResourceDefinitionVersion
	for i := range crd.Spec.Versions {
		if crd.Spec.Versions[i].Name == version {
			v = &crd.Spec.Versions[i]
		}
	}
	if v == nil {
		return nil, fmt.Errorf("CustomResourceDefinition %s has no version %s", crd.Name, version)
	}
	if v.Schema == nil || v.Schema.OpenAPIV3Schema == nil {
		return nil, fmt.Errorf("CustomResourceDefinition %s version %s has no schema", crd.Name, version)
	}
	if crd.Spec.PreserveUnknownFields {
		// The server would neither prune nor default such a resource; this package assumes
		// a structural schema throughout.
		return nil, errors.New("CustomResourceDefinition " + crd.Name + " preserves unknown fields: not supported")
	}

	internal := &apiextensionsinternal.CustomResourceValidation{}
	if err := apiextensionsv1.Convert_v1_CustomResourceValidation_To_apiextensions_CustomResourceValidation(v.Schema, internal, nil); err != nil {
		return nil, fmt.Errorf("convert schema of %s/%s to internal version: %w", crd.Name, version, err)
	}
	structural, err := structuralschema.NewStructural(internal.OpenAPIV3Schema)
	if err != nil {
		return nil, fmt.Errorf("schema of %s/%s is not structural: %w", crd.Name, version, err)
	}
	// As the server does: work on a copy and drop defaults the schema itself would prune.
	structural = structural.DeepCopy()
	if err := structuraldefaulting.PruneDefaults(structural); err != nil {
		return nil, fmt.Errorf("prune defaults of %s/%s: %w", crd.Name, version, err)
	}
	openAPI, _, err := apiservervalidation.NewSchemaValidator(internal.OpenAPIV3Schema)
	if err != nil {
		return nil, fmt.Errorf("build OpenAPI validator for %s/%s: %w", crd.Name, version, err)
	}

	return &crdSchema{
		gvk:        schema.GroupVersionKind{Group: crd.Spec.Group, Version: version, Kind: crd.Spec.Names.Kind},
		namespaced: crd.Spec.Scope == apiextensionsv1.NamespaceScoped,
		structural: structural,
		openAPI:    openAPI,
		// CEL programs are compiled here, once, as in the server's NewStrategy.
		cel: cel.NewValidator(structural, true, celconfig.PerCallLimit),
	}, nil
}
