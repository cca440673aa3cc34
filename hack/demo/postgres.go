package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// postgres is the demo's database server. It runs in the foreground as the demo's child,
// not daemonized by pg_ctl, so that it can be bound to the demo's lifetime (serverAttr).
type postgres struct {
	dir    string
	dsn    string
	cmd    *exec.Cmd
	exited chan struct{}
}

// startPostgres creates a cluster with hack/pg.sh and runs its server. The cluster's
// directory is recorded in work, so the next demo removes it if this one is killed outright.
func startPostgres(ctx context.Context, root, work string) (*postgres, error) {
	record := filepath.Join(work, "postgres-dir")
	if old, err := os.ReadFile(record); err == nil {
		removeStale(strings.TrimSpace(string(old)))
	}
	out, err := exec.CommandContext(ctx, filepath.Join(root, "hack", "pg.sh"), "init").Output()
	if err != nil {
		return nil, fmt.Errorf("create PostgreSQL cluster: %w", err)
	}
	vars := parseAssignments(string(out))
	pg := &postgres{dir: vars["CONTEST_PG_DIR"]}
	if err := os.WriteFile(record, []byte(pg.dir+"\n"), 0o644); err != nil {
		return nil, err
	}
	attr, err := postgresAttr()
	if err != nil {
		pg.remove(root, record)
		return nil, err
	}
	for attempt := 1; attempt <= 3 && ctx.Err() == nil; attempt++ { // another process may take the port first
		if err = pg.run(ctx, vars["PG_BIN"], attr); err == nil {
			return pg, nil
		}
	}
	pg.remove(root, record)
	return nil, fmt.Errorf("start PostgreSQL (log in %s): %w", filepath.Join(pg.dir, "server.log"), err)
}

// run starts the server on a free port and waits until it accepts connections.
func (pg *postgres) run(ctx context.Context, bin string, attr *syscall.SysProcAttr) error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	logFile, err := os.OpenFile(filepath.Join(pg.dir, "server.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close()
	pg.cmd = exec.Command(filepath.Join(bin, "postgres"), "-D", filepath.Join(pg.dir, "data"), "-p", port, "-k", pg.dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", "shared_buffers=256MB")
	pg.cmd.Stdout, pg.cmd.Stderr, pg.cmd.SysProcAttr = logFile, logFile, attr
	if err := pg.cmd.Start(); err != nil {
		return err
	}
	pg.exited = make(chan struct{})
	go func() { _ = pg.cmd.Wait(); close(pg.exited) }()
	pg.dsn = "postgres://postgres@127.0.0.1:" + port + "/postgres?sslmode=disable"
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		select {
		case <-pg.exited:
			return errors.New("the server exited")
		case <-ctx.Done():
			pg.stop()
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		pingCtx, cancel := context.WithTimeout(ctx, time.Second)
		conn, err := pgx.Connect(pingCtx, pg.dsn)
		cancel()
		if err == nil {
			_ = conn.Close(ctx)
			return nil
		}
	}
	pg.stop()
	return errors.New("the server did not accept connections within 60 s")
}

// stop shuts the server down (fast shutdown, then a kill if it lingers).
func (pg *postgres) stop() {
	if pg.cmd == nil || pg.cmd.Process == nil {
		return
	}
	_ = pg.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-pg.exited:
	case <-time.After(30 * time.Second):
		_ = pg.cmd.Process.Kill()
		<-pg.exited
	}
}

// close stops the server and removes its cluster.
func (pg *postgres) close(root, work string) {
	pg.stop()
	pg.remove(root, filepath.Join(work, "postgres-dir"))
}

func (pg *postgres) remove(root, record string) {
	_ = exec.Command(filepath.Join(root, "hack", "pg.sh"), "stop", pg.dir).Run()
	_ = os.Remove(record)
}

// postgresAttr runs the server in its own process group, so that Ctrl-C reaches only the
// demo, which stops the server after the web app; bound to the demo's lifetime; and as the
// postgres user when the demo runs as root (PostgreSQL refuses root; pg.sh gave it the cluster).
func postgresAttr() (*syscall.SysProcAttr, error) {
	attr := &syscall.SysProcAttr{Setpgid: true}
	diesWithDemo(attr, syscall.SIGQUIT) // immediate shutdown: the data is thrown away anyway
	if os.Getuid() != 0 {
		return attr, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL cannot run as root and there is no postgres user: %w", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("postgres user: %w", err)
	}
	attr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	return attr, nil
}

// removeStale removes the cluster of a demo that was killed outright, unless a server
// still runs on it.
func removeStale(dir string) {
	if !strings.HasPrefix(filepath.Base(dir), "contest-pg.") {
		return
	}
	if pid, err := os.ReadFile(filepath.Join(dir, "data", "postmaster.pid")); err == nil {
		first, _, _ := strings.Cut(string(pid), "\n")
		if cmdline, err := os.ReadFile(filepath.Join("/proc", strings.TrimSpace(first), "cmdline")); err == nil && strings.Contains(string(cmdline), dir) {
			return
		}
	}
	_ = os.RemoveAll(dir)
}
