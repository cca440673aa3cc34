package flowsql

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgtype"
)

// Recorded values become literals pgbench leaves alone: no ":name" inside them, quotes
// doubled, the type's cast unless the statement casts already.
func TestLiteral(t *testing.T) {
	m := pgtype.NewMap()
	tests := []struct {
		oid  uint32
		v    any
		cast bool
		want string
	}{
		{pgtype.TextOID, "bench/pgbench", true, "'bench/pgbench'::text"},
		{pgtype.TextOID, "it's", true, "'it''s'::text"},
		{pgtype.JSONBOID, []byte(`{"0":"A"}`), false, `E'{"0"\x3a"A"}'`},
		{pgtype.TextOID, `a\b:c`, true, `E'a\\b\x3ac'::text`},
		{pgtype.Int8OID, nil, true, "NULL::int8"},
		{pgtype.Int4OID, 3, true, "'3'::int4"},
	}
	for _, tt := range tests {
		got, err := literal(m, tt.oid, tt.v, tt.cast)
		if err != nil || got != tt.want {
			t.Errorf("literal(%v) = %q, %v; want %q", tt.v, got, err, tt.want)
		}
	}
}

func TestSubstitute(t *testing.T) {
	value := func(k int, castFollows bool) (string, error) {
		if castFollows {
			return fmt.Sprintf("<%d cast>", k+1), nil
		}
		return fmt.Sprintf("<%d>", k+1), nil
	}
	got, err := substitute(`SELECT $1::jsonb, '$2', $2 WHERE x = '$1' AND y::text = $10`, 10, value)
	if want := `SELECT <1 cast>::jsonb, '$2', <2> WHERE x = '$1' AND y::text = <10>`; err != nil || got != want {
		t.Fatalf("got %q, %v; want %q", got, err, want)
	}
	if _, err := substitute(`SELECT :name`, 0, value); err == nil || !strings.Contains(err.Error(), "variable") {
		t.Fatalf("a colon pgbench would read as a variable: %v", err)
	}
	if _, err := substitute(`SELECT $3`, 2, value); err == nil {
		t.Fatal("a parameter without a value is accepted")
	}
}
