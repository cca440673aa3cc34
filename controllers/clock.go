package controllers

import "time"

// Clock tells the reconciler what time it is. Production uses the real clock; tests pass a
// fixed or controllable one so every boundary can be asserted to the nanosecond.
type Clock interface {
	Now() time.Time
}

// RealClock is the wall clock.
type RealClock struct{}

// Now returns the current time.
func (RealClock) Now() time.Time { return time.Now() }
