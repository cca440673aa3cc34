package roundfile

import (
	"context"
	"fmt"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	structurallisttype "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	schemaobjectmeta "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/api/operation"
	metavalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"k8s.io/apiserver/pkg/features"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
)

// finding is one problem with one object: a field and the reason, worded as the API
// server words it.
type finding struct {
	Field  string
	Reason string
}

// admit does to obj, in place, what the API server does to a custom resource that is
// created with strict field validation, in the server's order: decoding (type meta,
// object meta and pruning; customresource_handler.go), defaulting, PrepareForCreate and
// Validate (registry/customresource). namespace is used when metadata has none, as the
// request's namespace would be. An empty result means the server would store obj as it is
// now.
func (s *crdSchema) admit(ctx context.Context, obj map[string]any, namespace string) []finding {
	u := &unstructured.Unstructured{Object: obj}
	// The server finds the kind from the URL and refuses a body of another kind before
	// anything else; nothing below makes sense for another kind.
	if errs := s.validateTypeMeta(u); len(errs) > 0 {
		return fromFieldErrors(errs)
	}

	found, ok := s.decode(u)
	if !ok {
		return found
	}
	structuraldefaulting.Default(obj, s.structural)
	s.prepareForCreate(u, namespace)

	return append(found, fromFieldErrors(s.validate(ctx, u))...)
}

// validateTypeMeta mirrors customResourceValidator.ValidateTypeMeta.
func (s *crdSchema) validateTypeMeta(u *unstructured.Unstructured) field.ErrorList {
	var errs field.ErrorList
	if kind := u.GetKind(); kind != s.gvk.Kind {
		errs = append(errs, field.Invalid(field.NewPath("kind"), kind, "must be "+s.gvk.Kind))
	}
	if apiVersion, want := u.GetAPIVersion(), s.gvk.GroupVersion().String(); apiVersion != want {
		errs = append(errs, field.Invalid(field.NewPath("apiVersion"), apiVersion, "must be "+want))
	}
	return errs
}

// decode mirrors unstructuredSchemaCoercer.apply with ReturnUnknownFieldPaths, i.e.
// fieldValidation=Strict (kubectl's default): unknown fields are pruned and reported.
// Not ok means the object cannot be decoded at all (the server answers 400 Bad Request),
// so there is nothing to validate.
func (s *crdSchema) decode(u *unstructured.Unstructured) (found []finding, ok bool) {
	kind, apiVersion := u.GetKind(), u.GetAPIVersion()
	meta, foundMeta, unknown, err := schemaobjectmeta.GetObjectMetaWithOptions(u.Object, schemaobjectmeta.ObjectMetaOptions{ReturnUnknownFieldPaths: true})
	if err != nil {
		return []finding{{Field: "metadata", Reason: err.Error()}}, false
	}
	unknown = append(unknown, structuralpruning.PruneWithOptions(u.Object, s.structural, true,
		structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})...)
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(u.Object, s.structural)
	fieldErr, embeddedUnknown := schemaobjectmeta.CoerceWithOptions(nil, u.Object, s.structural, false,
		schemaobjectmeta.CoerceOptions{ReturnUnknownFieldPaths: true})
	if fieldErr != nil {
		return fromFieldErrors(field.ErrorList{fieldErr}), false
	}
	unknown = append(unknown, embeddedUnknown...)

	// Restore the meta fields pruning skipped, starting clean (unknown metadata is gone).
	u.SetKind(kind)
	u.SetAPIVersion(apiVersion)
	if foundMeta {
		if err := schemaobjectmeta.SetObjectMeta(u.Object, meta); err != nil {
			return []finding{{Field: "metadata", Reason: err.Error()}}, false
		}
	}

	for _, path := range unknown {
		found = append(found, finding{Field: path, Reason: "unknown field"})
	}
	return found, true
}

// prepareForCreate mirrors the create path before validation: rest.BeforeCreate fills
// the namespace from the request, and customResourceStrategy.PrepareForCreate drops
// status (the resource has a status subresource) and starts the generation at 1.
func (s *crdSchema) prepareForCreate(u *unstructured.Unstructured, namespace string) {
	if s.namespaced && u.GetNamespace() == "" {
		u.SetNamespace(namespace)
	}
	delete(u.Object, "status")
	u.SetGeneration(1)
}

// validate mirrors customResourceStrategy.Validate for a create (no old object, so CEL
// transition rules are skipped).
func (s *crdSchema) validate(ctx context.Context, u *unstructured.Unstructured) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, s.validateObjectMeta(ctx, u)...)
	errs = append(errs, apiservervalidation.ValidateCustomResource(nil, u.Object, s.openAPI)...)
	errs = append(errs, schemaobjectmeta.Validate(ctx, nil, u.Object, s.structural, false)...)
	errs = append(errs, structurallisttype.ValidateListSetsAndMaps(nil, s.structural, u.Object)...)
	if s.cel != nil {
		if blocked, err := hasBlockingErr(errs); blocked {
			errs = append(errs, err)
		} else {
			celErrs, _ := s.cel.Validate(ctx, nil, s.structural, u.Object, nil, celconfig.RuntimeCELCostBudget)
			errs = append(errs, celErrs...)
		}
	}
	return errs
}

// validateObjectMeta mirrors customResourceValidator.validateObjectMetaDeclaratively.
// prepareForCreate has run, so metadata is a map.
func (s *crdSchema) validateObjectMeta(ctx context.Context, u *unstructured.Unstructured) field.ErrorList {
	metaPath := field.NewPath("metadata")
	raw := u.Object["metadata"]
	m, ok := raw.(map[string]any)
	if !ok {
		return field.ErrorList{field.Invalid(metaPath, raw, fmt.Sprintf("expected map[string]interface{}, got %T", raw))}
	}
	meta := &metav1.ObjectMeta{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(m, meta); err != nil {
		return field.ErrorList{field.Invalid(metaPath, raw, err.Error())}
	}
	return metavalidation.ValidateObjectMetaDeclaratively(ctx, operation.Create, meta, nil, s.namespaced,
		metavalidation.NameIsDNSSubdomain, metaPath, utilfeature.DefaultFeatureGate.Enabled(features.DeclarativeValidationBeta))
}

// hasBlockingErr is a copy of the unexported function of the same name in
// apiextensions-apiserver's registry/customresource: the server does not run CEL rules
// on an object whose shape is already known to be wrong, and says so.
func hasBlockingErr(errs field.ErrorList) (bool, *field.Error) {
	for _, err := range errs {
		if err.Type == field.ErrorTypeNotSupported || err.Type == field.ErrorTypeRequired || err.Type == field.ErrorTypeTooLong || err.Type == field.ErrorTypeTooMany || err.Type == field.ErrorTypeTypeInvalid {
			return true, field.Invalid(nil, nil, "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation")
		}
	}
	return false, nil
}

// fromFieldErrors words field errors as the API server's Status causes do. An error about
// no field in particular (the server's "some validation rules were not checked") has no
// value worth printing, so only its detail is kept.
func fromFieldErrors(errs field.ErrorList) []finding {
	found := make([]finding, len(errs))
	for i, err := range errs {
		if err.Field == "<nil>" || err.Field == "" {
			found[i] = finding{Reason: err.Detail}
			continue
		}
		found[i] = finding{Field: err.Field, Reason: err.ErrorBody()}
	}
	return found
}
