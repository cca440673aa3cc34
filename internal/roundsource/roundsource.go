// Package roundsource tells the exam web app which rounds exist: from the Kubernetes API
// through a read-only informer cache, or from YAML files validated like the API server
// validates them.
package roundsource

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/rest"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/roundfile"
)

// Both sources return shared, read-only rounds: the web app reads the list several times per
// request, and a deep copy of every round (its status holds the winners) per read was a
// tenth of the exam flow's allocations (docs/BENCHMARKS.md). Callers copy before changing.

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

// Rounds returns the loaded rounds, shared and read-only.
func (s *Static) Rounds(context.Context) ([]contestv1alpha1.ContestRound, error) {
	return s.rounds, nil
}

// Kube serves the ContestRounds of one namespace from an informer cache: reads cost no API
// call, and changes (a new round, an extended closesAt, suspend) arrive within moments.
type Kube struct {
	cache     cache.Cache
	namespace string
	// changes counts the informer's events; snapshot is the list as of one count, rebuilt
	// by the first read after a change.
	changes  atomic.Uint64
	snapshot atomic.Pointer[kubeSnapshot]
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
	inf, err := c.GetInformer(ctx, &contestv1alpha1.ContestRound{})
	if err != nil {
		return nil, fmt.Errorf("watch contestrounds: %w", err)
	}
	k := &Kube{cache: c, namespace: namespace}
	changed := func() { k.changes.Add(1) }
	if _, err := inf.AddEventHandler(toolscache.ResourceEventHandlerFuncs{
		AddFunc:    func(any) { changed() },
		UpdateFunc: func(any, any) { changed() },
		DeleteFunc: func(any) { changed() },
	}); err != nil {
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
	k.writer = w
	return k, nil
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

// kubeSnapshot is the namespace's rounds as of the changes count that preceded the list.
type kubeSnapshot struct {
	changes uint64
	rounds  []contestv1alpha1.ContestRound
}

// Rounds lists the namespace's rounds from the cache, shared and read-only: the same list
// until the informer sees a change.
func (k *Kube) Rounds(ctx context.Context) ([]contestv1alpha1.ContestRound, error) {
	// The count is read before listing: an event during the list leaves the snapshot one
	// count behind, so the next read lists again.
	n := k.changes.Load()
	if s := k.snapshot.Load(); s != nil && s.changes == n {
		return s.rounds, nil
	}
	var list contestv1alpha1.ContestRoundList
	if err := k.cache.List(ctx, &list, client.InNamespace(k.namespace)); err != nil {
		return nil, fmt.Errorf("list rounds: %w", err)
	}
	k.snapshot.Store(&kubeSnapshot{changes: n, rounds: list.Items})
	return list.Items, nil
}
