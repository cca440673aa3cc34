// Package roundsource tells the exam web app which rounds exist: from the Kubernetes API
// through a read-only informer cache, or from YAML files validated like the API server
// validates them.
package roundsource

import (
	"context"
	"encoding/json"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/roundfile"
)

// Static serves rounds loaded once from files.
type Static struct {
	rounds []contestv1alpha1.ContestRound
}

// FromFiles loads and validates rounds files; a bad file is an error naming the file, the
// field and the reason.
func FromFiles(ctx context.Context, paths []string, namespace string) (*Static, error) {
	rounds, err := roundfile.Load(ctx, paths, namespace)
	if err != nil {
		return nil, err
	}
	return &Static{rounds: rounds}, nil
}

// Rounds returns a copy of the loaded rounds.
func (s *Static) Rounds(context.Context) ([]contestv1alpha1.ContestRound, error) {
	out := make([]contestv1alpha1.ContestRound, len(s.rounds))
	for i := range s.rounds {
		s.rounds[i].DeepCopyInto(&out[i])
	}
	return out, nil
}

// Kube serves the ContestRounds of one namespace from an informer cache: reads cost no API
// call, and changes (a new round, an extended closesAt, suspend) arrive within moments.
type Kube struct {
	cache     cache.Cache
	namespace string
	// writer patches rounds (the re-rank annotation only; an admission policy in the chart
	// refuses anything else from the web app's service account).
	writer client.Client
}

// NewKube starts the cache and waits for its first sync. The web app's service account
// needs get, list and watch on contestrounds in the namespace, and patch for re-ranking.
func NewKube(ctx context.Context, cfg *rest.Config, namespace string) (*Kube, error) {
	scheme := runtime.NewScheme()
	if err := contestv1alpha1.AddToScheme(scheme); err != nil {
		return nil, fmt.Errorf("add contest types to scheme: %w", err)
	}
	c, err := cache.New(cfg, cache.Options{Scheme: scheme, DefaultNamespaces: map[string]cache.Config{namespace: {}}})
	if err != nil {
		return nil, fmt.Errorf("create round cache: %w", err)
	}
	if _, err := c.GetInformer(ctx, &contestv1alpha1.ContestRound{}); err != nil {
		return nil, fmt.Errorf("watch contestrounds: %w", err)
	}
	go func() { _ = c.Start(ctx) }()
	if !c.WaitForCacheSync(ctx) {
		return nil, fmt.Errorf("contestrounds in namespace %s did not sync: check the web app's RBAC (get, list, watch contestrounds)", namespace)
	}
	w, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		return nil, fmt.Errorf("create round client: %w", err)
	}
	return &Kube{cache: c, namespace: namespace, writer: w}, nil
}

// Rerank asks the operator for a new ranking of the round: it sets the round's re-rank
// annotation to token, which names the new ranking Job. The web app's service account may
// patch contestrounds of its namespace, and the chart's admission policy lets it change
// nothing but this annotation.
func (k *Kube) Rerank(ctx context.Context, name, token string) error {
	patch, err := json.Marshal(map[string]any{"metadata": map[string]any{"annotations": map[string]string{contestv1alpha1.RerankAnnotation: token}}})
	if err != nil {
		return err
	}
	round := &contestv1alpha1.ContestRound{ObjectMeta: metav1.ObjectMeta{Namespace: k.namespace, Name: name}}
	if err := k.writer.Patch(ctx, round, client.RawPatch(types.MergePatchType, patch)); err != nil {
		return fmt.Errorf("ask for a new ranking of %s/%s: %w", k.namespace, name, err)
	}
	return nil
}

// Rounds lists the namespace's rounds from the cache.
func (k *Kube) Rounds(ctx context.Context) ([]contestv1alpha1.ContestRound, error) {
	var list contestv1alpha1.ContestRoundList
	if err := k.cache.List(ctx, &list, client.InNamespace(k.namespace)); err != nil {
		return nil, fmt.Errorf("list rounds: %w", err)
	}
	return list.Items, nil
}
