package webapp

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// who may use a route.
type access int

const (
	anyone       access = iota
	contestant          // a signed-in contestant (their own attempts only)
	anyOrganizer        // any signed-in organizer
	asViewer            // an organizer whose role is at least viewer …
	asEditor
	asAdmin
)

// routeAccess says who may use each route of the app. A route missing here fails the test:
// every new route must say who it is for.
var routeAccess = map[string]access{
	"GET /healthz": anyone, "GET /readyz": anyone, "GET /metrics": anyone, "GET /static/:file": anyone,
	"GET /lang/:code": anyone, "GET /challenge.png": anyone,
	"GET /": anyone, "GET /register": anyone, "POST /register": anyone, "GET /signin": anyone, "POST /signin": anyone,
	"POST /signout": anyone, "GET /rounds/:round/winners": anyone, "GET /rules": anyone,
	"GET /units":         anyone,
	"GET /banners/:file": anyone, "GET /embed/round": anyone,
	"GET /recover": anyone, "POST /recover": anyone, "GET /recover/code": anyone, "POST /recover/code": anyone,
	"GET /recover/reset": anyone, "POST /recover/reset": anyone,
	"GET /verify": anyone, "GET /verify/:code": anyone, "GET /rounds/:round/certificates/:kind": contestant,
	"GET /console/rounds/:round/certificates.pdf": asViewer,
	"GET /me": contestant, "POST /signout/everywhere": contestant, "POST /rounds/:round/attempts": contestant, "GET /attempts/:id": contestant,
	"POST /attempts/:id/answers": contestant, "POST /attempts/:id/submit": contestant, "GET /attempts/:id/result": contestant,
	"GET /console/signin": anyone, "POST /console/signin": anyone, "POST /console/signout": anyone,
	"GET /console/password": anyOrganizer, "POST /console/password": anyOrganizer,
	"GET /console": asViewer, "GET /console/rounds/:round": asViewer, "GET /console/rounds/:round/items": asViewer, "GET /console/share": asViewer,
	"GET /console/rounds/:round/report.xlsx": asViewer, "GET /console/rounds/:round/report-csv.zip": asViewer,
	"POST /console/rounds/:round/publish": asEditor, "POST /console/rounds/:round/unpublish": asEditor,
	"POST /console/rounds/:round/rerank":     asEditor,
	"GET /console/rounds/:round/corrections": asEditor, "POST /console/rounds/:round/corrections/preview": asEditor,
	"POST /console/rounds/:round/corrections": asEditor,
	"GET /console/helpdesk":                   asEditor, "POST /console/helpdesk": asEditor, "POST /console/helpdesk/code": asEditor,
	"GET /console/banks": asEditor, "POST /console/banks": asEditor, "GET /console/banks/:name/:version": asEditor,
	"GET /console/accounts": asAdmin, "POST /console/accounts": asAdmin, "POST /console/accounts/:username": asAdmin,
	"GET /console/eligibility": asEditor, "POST /console/eligibility/:id": asEditor,
	"GET /console/rounds/:round/daily.xlsx": asViewer, "GET /console/rounds/:round/daily-csv.zip": asViewer,
	"GET /console/units": asEditor, "POST /console/units": asEditor, "GET /console/units/spellings": asEditor,
	"GET /console/units/spelling": asEditor, "POST /console/units/spellings/map": asEditor,
	"POST /console/units/spellings/unmap": asEditor,
	"GET /console/integrity":              asEditor, "POST /console/integrity/:id": asEditor,
	"GET /console/audit": asAdmin, "GET /console/audit.csv": asAdmin, "GET /console/audit.xlsx": asAdmin,
}

// Every route × anonymous, contestant, viewer, editor, admin: each is let in exactly where
// routeAccess says, and turned away (401, 403, or sent to a sign-in page) elsewhere.
func TestRouteAccessMatrix(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	e.account("theo.doi", "viewer", "mat-khau-theo-doi-2024")
	e.account("dieu.hanh", "editor", "mat-khau-dieu-hanh-2024")
	person := e.register(1)
	id := person.start("dot-1")
	identities := []struct {
		name  string
		b     *browser
		level access
	}{
		{"anonymous", e.browser(), anyone},
		{"contestant", person, contestant},
		{"viewer", e.signedInAs("theo.doi", "mat-khau-theo-doi-2024"), asViewer},
		{"editor", e.signedInAs("dieu.hanh", "mat-khau-dieu-hanh-2024"), asEditor},
		{"admin", e.organizer(), asAdmin},
	}
	params := strings.NewReplacer(":file", "app.css", ":code", "en", ":round", "dot-1", ":id", fmt.Sprint(id),
		":name", "mau", ":kind", "participation", ":version", "1", ":username", "theo.doi")
	seen := map[string]bool{}
	for _, route := range e.app.engine.Routes() {
		key := route.Method + " " + route.Path
		seen[key] = true
		need, ok := routeAccess[key]
		if !ok {
			t.Errorf("route %s is not in routeAccess: say who may use it", key)
			continue
		}
		path := params.Replace(route.Path)
		if need == anyone && route.Method == http.MethodPost {
			// Open to all (signing in and out, registering): what they answer is their own
			// business, tested elsewhere; signing out here would end the identities' sessions.
			continue
		}
		for _, who := range identities {
			// Posts that would change what later requests see are sent with empty forms:
			// refused for their content (4xx) once past the door, which is what is tested.
			var r response
			if route.Method == http.MethodGet {
				r = who.b.get(path)
			} else {
				r = who.b.post(path, url.Values{})
			}
			let := allowed(need, who.level)
			if in := !turnedAway(r); in != let {
				t.Errorf("%s %s as %s: %d %q, want let in = %v", route.Method, path, who.name, r.status, r.location, let)
			}
		}
	}
	for key := range routeAccess {
		if !seen[key] {
			t.Errorf("routeAccess lists %s, which the app does not serve", key)
		}
	}
}

func allowed(need, have access) bool {
	switch need {
	case anyone:
		return true
	case contestant:
		return have == contestant
	case anyOrganizer:
		return have >= asViewer
	default:
		return have >= need
	}
}

// turnedAway says whether the answer is a refusal at the door.
func turnedAway(r response) bool {
	switch {
	case r.status == http.StatusUnauthorized, r.status == http.StatusForbidden:
		return true
	case r.status == http.StatusSeeOther && (strings.HasPrefix(r.location, "/signin") || strings.HasPrefix(r.location, "/console/signin")):
		return true
	}
	return false
}
