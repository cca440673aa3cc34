package integrity

import (
	"cmp"
	"slices"
	"time"
)

// SharedDevices returns, for each run of attempts from one device (the same user-agent hash
// on the same network) in which at least r.DeviceAccounts different accounts started
// within r.Window of each other, a signal for each account of the run. Attempts without a
// recorded network or device are left out.
func SharedDevices(attempts []Attempt, r Rules) []Signal {
	return shared(attempts, KindSharedDevice, r.DeviceAccounts, r.Window, func(a *Attempt) string {
		if a.Net == "" || a.Device == "" {
			return ""
		}
		return a.Net + "|" + a.Device
	})
}

// SharedNetworks is SharedDevices for one network, whatever the device, with at least
// r.NetworkAccounts accounts. A school lab, an office or a carrier's shared address does
// this every day: it is a reason to look, never to exclude.
func SharedNetworks(attempts []Attempt, r Rules) []Signal {
	return shared(attempts, KindSharedNetwork, r.NetworkAccounts, r.Window, func(a *Attempt) string { return a.Net })
}

// RegistrationBursts returns, for each run of registrations from one network in which at
// least r.BurstRegistrations accounts registered within r.BurstWindow of each other, a
// signal for each account of the run.
func RegistrationBursts(regs []Registration, r Rules) []Signal {
	attempts := make([]Attempt, 0, len(regs))
	for _, g := range regs {
		// One registration per account: as an attempt started at the registration, keyed
		// by the account, each is its own run member.
		attempts = append(attempts, Attempt{ContestantID: g.ContestantID, StartedAt: g.At, Net: g.Net})
	}
	out := shared(attempts, KindRegistrationBurst, r.BurstRegistrations, r.BurstWindow, func(a *Attempt) string { return a.Net })
	for i := range out {
		out[i].Key = key(KindRegistrationBurst, out[i].ContestantID)
		out[i].Attempt = 0
	}
	return out
}

// shared groups attempts by groupOf, and within each group finds the runs where at least
// need accounts started within window: an attempt is in a run when some window of that
// length holding it holds need accounts; runs are those attempts chained by gaps of at
// most window, whatever lies between them. So the result does not change when attempts
// that are in no such window are left out, which is what the store does.
func shared(attempts []Attempt, kind Kind, need int, window time.Duration, groupOf func(*Attempt) string) []Signal {
	need = max(need, 1)
	groups := map[string][]*Attempt{}
	for i := range attempts {
		if g := groupOf(&attempts[i]); g != "" {
			groups[g] = append(groups[g], &attempts[i])
		}
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	slices.Sort(names)
	var out []Signal
	for _, g := range names {
		group := groups[g]
		slices.SortFunc(group, func(a, b *Attempt) int {
			if c := a.StartedAt.Compare(b.StartedAt); c != 0 {
				return c
			}
			return cmp.Compare(a.ID, b.ID)
		})
		marked := markWindows(group, need, window)
		var run []*Attempt
		for i, a := range group {
			if !marked[i] {
				continue
			}
			if len(run) > 0 && a.StartedAt.Sub(run[len(run)-1].StartedAt) > window {
				out = append(out, runSignals(run, kind, need, window)...)
				run = nil
			}
			run = append(run, a)
		}
		if len(run) > 0 {
			out = append(out, runSignals(run, kind, need, window)...)
		}
	}
	return out
}

// markWindows marks every attempt of the group (sorted by start) that lies in a window of
// the given length holding at least need different accounts.
func markWindows(group []*Attempt, need int, window time.Duration) []bool {
	marked := make([]bool, len(group))
	count := map[int64]int{}
	next := 0 // the first attempt not yet marked
	for i, j := 0, 0; j < len(group); j++ {
		count[group[j].ContestantID]++
		for group[j].StartedAt.Sub(group[i].StartedAt) > window {
			if count[group[i].ContestantID]--; count[group[i].ContestantID] == 0 {
				delete(count, group[i].ContestantID)
			}
			i++
		}
		if len(count) >= need {
			for k := max(i, next); k <= j; k++ {
				marked[k] = true
			}
			next = j + 1
		}
	}
	return marked
}

// runSignals gives each account of a run one signal, about its first attempt in the run.
func runSignals(run []*Attempt, kind Kind, need int, window time.Duration) []Signal {
	first := map[int64]*Attempt{}
	var accounts []int64
	for _, a := range run {
		if first[a.ContestantID] == nil {
			first[a.ContestantID] = a
			accounts = append(accounts, a.ContestantID)
		}
	}
	slices.Sort(accounts)
	out := make([]Signal, 0, len(accounts))
	for _, id := range accounts {
		a := first[id]
		others := make([]int64, 0, min(len(accounts)-1, MaxOthers))
		for _, o := range accounts {
			if o != id && len(others) < MaxOthers {
				others = append(others, o)
			}
		}
		out = append(out, Signal{Kind: kind, ContestantID: id, Key: key(kind, a.ID), Attempt: a.ID, Others: others,
			Accounts: len(accounts), From: run[0].StartedAt, To: run[len(run)-1].StartedAt, Net: a.Net,
			Limit: need, Window: window})
	}
	return out
}
