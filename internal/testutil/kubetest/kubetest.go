// Package kubetest starts a real kube-apiserver and etcd (envtest) with the project's CRDs
// installed, for tests that need the API server's own validation and behaviour.
package kubetest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	goruntime "runtime"

	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
)

// Env is a running control plane with a client that knows the project's types.
type Env struct {
	Config *rest.Config
	Client client.Client
	Scheme *runtime.Scheme
	// Root is the module's root directory, for reading config/ and samples.
	Root string

	env *envtest.Environment
}

// Start runs kube-apiserver and etcd with the CRDs from config/crd/bases installed. The
// binaries come from KUBEBUILDER_ASSETS or, when unset, from bin/k8s (`make envtest`).
func Start() (*Env, error) {
	root, err := ModuleRoot()
	if err != nil {
		return nil, err
	}
	assets := os.Getenv("KUBEBUILDER_ASSETS")
	if assets == "" {
		assets = filepath.Join(root, "bin", "k8s")
	}
	if _, err := os.Stat(filepath.Join(assets, "kube-apiserver")); err != nil {
		return nil, fmt.Errorf("no kube-apiserver in %s: run `make envtest` first: %w", assets, err)
	}

	scheme := NewScheme()

	env := &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join(root, "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
		BinaryAssetsDirectory: assets,
		Scheme:                scheme,
	}
	cfg, err := env.Start()
	if err != nil {
		return nil, fmt.Errorf("start envtest control plane: %w", err)
	}
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		_ = env.Stop()
		return nil, fmt.Errorf("create client: %w", err)
	}
	return &Env{Config: cfg, Client: c, Scheme: scheme, Root: root, env: env}, nil
}

// KubeConfig returns a kubeconfig file's content for the control plane, for commands that
// find their cluster the usual way (KUBECONFIG).
func (e *Env) KubeConfig() []byte {
	return e.env.KubeConfig
}

// NewScheme knows the built-in kinds and the project's.
func NewScheme() *runtime.Scheme {
	scheme := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(contestv1alpha1.AddToScheme(scheme))
	return scheme
}

// Stop shuts the control plane down.
func (e *Env) Stop() error {
	return e.env.Stop()
}

// ModuleRoot finds the directory holding go.mod, starting from this source file, so tests
// in any package find config/ without depending on the working directory.
func ModuleRoot() (string, error) {
	_, file, _, ok := goruntime.Caller(0)
	if !ok {
		return "", errors.New("cannot locate kubetest source file")
	}
	dir := filepath.Dir(file)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above " + filepath.Dir(file))
		}
		dir = parent
	}
}
