package flowsql

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// The pgbench variables of the script. pgbench keeps a client's variables from one
// transaction to the next, so seq counts the client's transactions and every transaction
// is a new person: cid = first + client_id × per_client + seq, where first is the database
// id of the first prepared person and per_client the transactions of each client (-t).
const (
	varContestant = "cid"
	varAttempt    = "id"
)

// Script writes the flow as a pgbench script. conn describes each statement to the
// server (the types of its parameters, as pgx learnt them when it prepared it) so that
// each recorded value is written as the text of that type, cast to it.
func (f *Flow) Script(ctx context.Context, conn *pgx.Conn) (string, error) {
	if f.AttemptID == f.ContestantID {
		return "", fmt.Errorf("the attempt and the contestant have the same id %d: record again", f.AttemptID)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `-- One exam flow as the web app sends it to PostgreSQL: start, exam page, autosaves, submit,
-- result page. Recorded from the app by `+"`contest loadtest pgbench-script`"+` on %s;
-- regenerated at every `+"`make bench`"+`, never edited by hand.
-- Each transaction is a new person (:cid, a prepared contestant's id) taking a new attempt
-- (:id, from the start's RETURNING) in round %s. Run with
--   pgbench -n -M prepared -t T -D first=FIRST_ID -D per_client=T -D seq=0 -f THIS_FILE
-- (contest loadtest pgbench does), where FIRST_ID .. FIRST_ID + clients × T - 1 are ids of
-- prepared contestants without an attempt in the round.
\set %s :first + :client_id * :per_client + :seq
\set seq :seq + 1
`, f.Recorded.UTC().Format("2006-01-02 15:04 MST"), f.Round, varContestant)

	types := conn.TypeMap()
	attemptKnown := false
	insertAt := startStatement(f)
	if insertAt < 0 {
		return "", fmt.Errorf("no INSERT … RETURNING id before the attempt id is first used: the flow changed, see flowsql.startStatement")
	}
	request, batch := "", 0
	for i, st := range f.Statements {
		if st.Batch != batch && batch != 0 {
			b.WriteString("\\endpipeline\n")
		}
		if st.Request != request {
			request = st.Request
			fmt.Fprintf(&b, "\n-- %s\n", request)
		}
		if st.Batch != batch && st.Batch != 0 {
			b.WriteString("\\startpipeline\n")
		}
		batch = st.Batch
		var oids []uint32
		if len(st.Args) > 0 {
			desc, err := conn.PgConn().Prepare(ctx, "", st.SQL, nil)
			if err != nil {
				return "", fmt.Errorf("describe %q: %w", firstLine(st.SQL), err)
			}
			oids = desc.ParamOIDs
			if len(oids) != len(st.Args) {
				return "", fmt.Errorf("%q takes %d parameters, was sent %d", firstLine(st.SQL), len(oids), len(st.Args))
			}
		}
		value := func(k int, castFollows bool) (string, error) {
			arg := st.Args[k]
			switch n, isInt := integer(arg); {
			case isInt && n == f.ContestantID:
				return ":" + varContestant, nil
			case isInt && n == f.AttemptID:
				if !attemptKnown {
					return "", fmt.Errorf("%q uses the attempt id before the start returned it", firstLine(st.SQL))
				}
				return ":" + varAttempt, nil
			}
			lit, err := literal(types, oids[k], arg, !castFollows)
			if err != nil {
				return "", fmt.Errorf("%q, parameter $%d: %w", firstLine(st.SQL), k+1, err)
			}
			return lit, nil
		}
		sql, err := substitute(st.SQL, len(st.Args), value)
		if err != nil {
			return "", err
		}
		if i == insertAt {
			// \gset ends the statement instead of the semicolon and keeps its columns
			// (id among them) as variables.
			b.WriteString(sql + "\n\\gset\n")
			attemptKnown = true
			continue
		}
		b.WriteString(sql + ";\n")
	}
	if batch != 0 {
		b.WriteString("\\endpipeline\n")
	}
	return b.String(), nil
}

// startStatement is the statement that hands over the attempt's id: the INSERT …
// RETURNING id last sent before any statement takes the id as an argument.
func startStatement(f *Flow) int {
	found := -1
	for i, st := range f.Statements {
		for _, a := range st.Args {
			if n, ok := integer(a); ok && n == f.AttemptID {
				return found
			}
		}
		sql := strings.ToUpper(st.SQL)
		if strings.HasPrefix(strings.TrimSpace(sql), "INSERT") && strings.Contains(sql, "RETURNING ID") && st.Batch == 0 {
			found = i
		}
	}
	return found
}

func integer(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case int32:
		return int64(n), true
	}
	return 0, false
}

// literal writes a recorded value as the text PostgreSQL reads for its type, cast to the
// type unless the statement casts it already. Colons are written as \x3a in an escape
// string: pgbench would read ":name" inside a literal as a variable.
func literal(types *pgtype.Map, oid uint32, v any, cast bool) (string, error) {
	t, ok := types.TypeForOID(oid)
	if !ok {
		return "", fmt.Errorf("unknown type %d", oid)
	}
	text, err := types.Encode(oid, pgtype.TextFormatCode, v, nil)
	if err != nil {
		return "", err
	}
	suffix := ""
	if cast {
		suffix = "::" + t.Name
	}
	if text == nil {
		return "NULL" + suffix, nil
	}
	s := string(text)
	if !strings.ContainsAny(s, `:\`) {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'" + suffix, nil
	}
	r := strings.NewReplacer(`\`, `\\`, `'`, `''`, `:`, `\x3a`)
	return "E'" + r.Replace(s) + "'" + suffix, nil
}

// substitute replaces $1, $2, … outside quotes with value(k, whether a cast follows), and
// refuses a colon that pgbench would take for a variable it does not have.
func substitute(sql string, params int, value func(k int, castFollows bool) (string, error)) (string, error) {
	var b strings.Builder
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case c == '\'' || c == '"':
			end := strings.IndexByte(sql[i+1:], c)
			if end < 0 {
				return "", fmt.Errorf("unterminated quote in %q", firstLine(sql))
			}
			b.WriteString(sql[i : i+end+2])
			i += end + 1
		case c == '$' && i+1 < len(sql) && sql[i+1] >= '0' && sql[i+1] <= '9':
			j := i + 1
			for j < len(sql) && sql[j] >= '0' && sql[j] <= '9' {
				j++
			}
			n, _ := strconv.Atoi(sql[i+1 : j])
			if n < 1 || n > params {
				return "", fmt.Errorf("$%d in %q has no value", n, firstLine(sql))
			}
			v, err := value(n-1, strings.HasPrefix(sql[j:], "::"))
			if err != nil {
				return "", err
			}
			b.WriteString(v)
			i = j - 1
		case c == ':' && i+1 < len(sql) && sql[i+1] == ':':
			b.WriteString("::")
			i++
		case c == ':' && i+1 < len(sql) && isNameByte(sql[i+1]):
			return "", fmt.Errorf("%q has a colon pgbench would read as a variable", firstLine(sql))
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func firstLine(sql string) string {
	s, _, _ := strings.Cut(strings.TrimSpace(sql), "\n")
	return s
}
