package store

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadMigrationsRejectsBadFiles(t *testing.T) {
	tests := []struct {
		name    string
		files   fstest.MapFS
		wantErr string
	}{
		{"bad name", fstest.MapFS{"m/1_init.sql": {Data: []byte("SELECT 1")}}, "name must look like 0001_short_name.sql"},
		{"shared version", fstest.MapFS{
			"m/0001_a.sql": {Data: []byte("SELECT 1")},
			"m/0001_b.sql": {Data: []byte("SELECT 2")},
		}, "share version 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadMigrations(tt.files, "m")
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestLoadMigrationsOrdersByVersion(t *testing.T) {
	ms, err := loadMigrations(fstest.MapFS{
		"m/0010_later.sql": {Data: []byte("SELECT 10")},
		"m/0002_early.sql": {Data: []byte("SELECT 2")},
	}, "m")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Version != 2 || ms[1].Version != 10 || ms[0].Name != "early" {
		t.Fatalf("got %+v", ms)
	}
	if ms[0].Checksum == ms[1].Checksum {
		t.Fatal("different files got the same checksum")
	}
}
