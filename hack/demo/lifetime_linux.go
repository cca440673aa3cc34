package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// The demo's servers die with it however it ends, through Linux's parent-death signal: the
// kernel signals a process when the one that started it exits, even by SIGKILL, when
// no cleanup code runs.

// bindToParent stops the demo (SIGTERM, handled like Ctrl-C) when the process that started
// it dies. `make demo` runs it under `go run`, which does not pass signals on: killing make
// or go would otherwise leave the demo and its servers running.
func bindToParent() error {
	ppid := os.Getppid()
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(syscall.SIGTERM), 0); errno != 0 {
		return fmt.Errorf("set parent-death signal: %w", errno)
	}
	if os.Getppid() != ppid { // the parent died before the signal was set
		return syscall.Kill(os.Getpid(), syscall.SIGTERM)
	}
	return nil
}

// diesWithDemo makes a child the demo starts receive sig when the demo dies.
func diesWithDemo(attr *syscall.SysProcAttr, sig syscall.Signal) {
	attr.Pdeathsig = sig
}

// wrapServers writes into dir stand-ins for assets' kube-apiserver and etcd that run them
// with a parent-death signal (setpriv, from util-linux): envtest starts them itself and has
// no hook for one. It returns the directory to give envtest as KUBEBUILDER_ASSETS.
func wrapServers(dir, assets string) (string, error) {
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		return "", fmt.Errorf("setpriv (util-linux) is needed so that kube-apiserver and etcd stop with the demo: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	for _, name := range []string{"kube-apiserver", "etcd"} {
		real, err := filepath.Abs(filepath.Join(assets, name))
		if err != nil {
			return "", err
		}
		if _, err := os.Stat(real); err != nil {
			return "", fmt.Errorf("no %s in %s: run `make envtest` first: %w", name, assets, err)
		}
		script := fmt.Sprintf("#!/bin/sh\n# Written by hack/demo: %s stops when the demo does, even if the demo is killed.\nexec %s --pdeathsig KILL -- %s \"$@\"\n",
			name, shellQuote(setpriv), shellQuote(real))
		if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
			return "", err
		}
	}
	return dir, nil
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
