package loadtest

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
)

// WriteText writes the report as people read it: one table of phases, one of steps, then
// the check and the bounds.
func WriteText(w io.Writer, rep *Report) {
	fmt.Fprintf(w, "\nload test of %s, %d CPUs (%s)\n\n", rep.Site, rep.Machine.CPUs, rep.Machine.CPUModel)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := []string{"phase", "done", "failed", "seconds", "per second"}
	var cpuNames []string
	for _, ph := range rep.Phases {
		for _, c := range ph.CPU {
			if !slices.Contains(cpuNames, c.Name) {
				cpuNames = append(cpuNames, c.Name)
			}
		}
	}
	for _, n := range cpuNames {
		header = append(header, n+" CPU µs/op")
	}
	header = append(header, "load avg peak")
	fmt.Fprintln(tw, strings.Join(header, "\t")+"\t")
	for _, ph := range rep.Phases {
		row := []string{ph.Name, fmt.Sprint(ph.Done), fmt.Sprint(ph.Failed), fmt.Sprintf("%.1f", ph.Seconds), fmt.Sprintf("%.1f", ph.PerSecond)}
		for _, n := range cpuNames {
			v := "-"
			for _, c := range ph.CPU {
				if c.Name == n && c.Error == "" {
					v = thousands(int64(c.PerOp + 0.5))
				}
			}
			row = append(row, v)
		}
		row = append(row, fmt.Sprintf("%.2f", ph.LoadPeak))
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "step\tcount\tp50\tp95\tp99\tmax\tretries\terrors\t")
	for _, ph := range rep.Phases {
		for _, st := range ph.Steps {
			if st.Count == 0 && st.ErrorCount() == 0 {
				continue
			}
			fmt.Fprintf(tw, "%s.%s\t%d\t%s\t%s\t%s\t%s\t%d\t%s\t\n", ph.Name, st.Name, st.Count,
				ms(st.P50), ms(st.P95), ms(st.P99), ms(st.Max), st.Retries, errorList(st.Errors))
		}
	}
	tw.Flush()
	for _, ph := range rep.Phases {
		for _, c := range ph.CPU {
			if c.Error != "" {
				fmt.Fprintf(w, "%s: CPU of %s unknown: %s\n", ph.Name, c.Name, c.Error)
			}
		}
		if ph.Waits > 0 {
			fmt.Fprintf(w, "%s: %d flows waited for their person (the app allows 3 requests a second per person): more people would avoid it\n", ph.Name, ph.Waits)
		}
		if ph.Extra["ran_out_of_people"] > 0 {
			fmt.Fprintf(w, "%s: stopped early: every person used every attempt of every round\n", ph.Name)
		}
		if v, ok := ph.Extra["last_delivered_s"]; ok {
			fmt.Fprintf(w, "%s: the last exam page arrived %.2f s after the first person pressed start (window %.1f s)\n", ph.Name, v, ph.Extra["window_s"])
		}
	}
	if c := rep.Check; c != nil {
		if c.OK {
			fmt.Fprintf(w, "\ncheck: every one of %d acknowledged submits is stored once as sent (%d unanswered); nobody is over the attempt cap\n", c.Acknowledged, c.Unknown)
		} else {
			fmt.Fprintf(w, "\ncheck FAILED:\n")
			for _, p := range c.Problems() {
				fmt.Fprintf(w, "  %s\n", p)
			}
		}
	}
	if len(rep.Breaches) > 0 {
		fmt.Fprintf(w, "\nbounds broken:\n")
		for _, b := range rep.Breaches {
			fmt.Fprintf(w, "  %s\n", b)
		}
	}
}

func errorList(m map[string]int) string {
	if len(m) == 0 {
		return "-"
	}
	var parts []string
	for k, v := range m {
		parts = append(parts, fmt.Sprintf("%s ×%d", k, v))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

// WriteJSON writes the report for machines (make bench reads it).
func WriteJSON(path string, rep *Report) error {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// ReadJSON reads a report WriteJSON wrote.
func ReadJSON(path string) (*Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rep Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &rep, nil
}
