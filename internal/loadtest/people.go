package loadtest

import (
	"fmt"
	"strconv"
)

// A person of the load test is a number: Prepare and Run derive the same identity from it,
// so neither needs the other's list, and ranges of numbers keep runs apart.
const MaxPeople = 1_000_000

// Identity of person i: a valid registration as the form checks it. The national ID's 4th
// digit (1: a woman born in the 1900s) and 5th–6th (92) agree with the birth date and
// gender, as registration requires.
const (
	personName      = "Nguyễn Thị Thử Tải"
	personBirth     = "15/03/1992"
	personGender    = "female"
	personGroup     = "resident" // needs no organization
	DefaultPassword = "mat-khau-thu-tai"
)

// Phone is person i's phone number, the login the tool signs in with.
func Phone(i int) string { return "09" + pad(i, 8) }

// NationalID is person i's national ID (CCCD).
func NationalID(i int) string { return "060192" + pad(i, 6) }

// address is the client address person i comes from when the tool plays the ingress
// (X-Forwarded-For): one per person, as phones on a carrier's network have.
func address(i int) string {
	return fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// checkRange refuses numbers the identities cannot hold.
func checkRange(what string, first, n int) error {
	if first < 0 || n < 0 || first+n > MaxPeople {
		return fmt.Errorf("%s: people %d to %d are outside 0..%d", what, first, first+n-1, MaxPeople-1)
	}
	return nil
}
