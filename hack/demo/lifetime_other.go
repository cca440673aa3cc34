//go:build !linux

package main

import "syscall"

// Only Linux has a parent-death signal: elsewhere the demo's servers stop on Ctrl-C, SIGHUP
// and SIGTERM, but outlive a demo killed outright.

func bindToParent() error { return nil }

func diesWithDemo(*syscall.SysProcAttr, syscall.Signal) {}

func wrapServers(_, assets string) (string, error) { return assets, nil }
