package loadtest

import (
	"bytes"
	"context"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Steps of each phase, in the order they happen.
var (
	formSteps  = []string{"page", "post", "home"}
	flowSteps  = []string{"start", "exam", "save", "submit", "result", "total"}
	burstSteps = []string{"start", "exam", "delivered"}
)

// SignInStats and FlowStats hold the steps of sign-ins and flows played one at a time,
// outside Run (the SQL recorder does).
func SignInStats() *Stats { return newStats(formSteps...) }

// FlowStats: see SignInStats.
func FlowStats() *Stats { return newStats(flowSteps...) }

// timed runs one request as a step: a success is recorded, a failure counted by kind.
func (c *Client) timed(step *Step, send func() (*reply, error), want int) (*reply, error) {
	start := time.Now()
	r, err := send()
	if err != nil {
		step.Fail(kindOf(err))
		return nil, err
	}
	if r.status != want {
		step.Fail(statusFailure(r).kind)
		c.release(r)
		return nil, statusFailure(r)
	}
	step.Record(time.Since(start))
	return r, nil
}

// page loads a page by navigation and checks it holds marker.
func (c *Client) page(ctx context.Context, p *Person, step *Step, path string, marker []byte) (*reply, error) {
	r, err := c.timed(step, func() (*reply, error) { return c.do(ctx, p, navigate, http.MethodGet, path, "", "") }, http.StatusOK)
	if err != nil {
		return nil, err
	}
	if marker != nil && !bytes.Contains(r.body.Bytes(), marker) {
		c.release(r)
		step.Fail("unexpected page")
		return nil, unexpected("%s does not hold %s", path, marker)
	}
	return r, nil
}

// sendChallengeForm posts a form that carries the anti-robot challenge as the page's script
// does: the proof of work solved, sent again after Retry-After while the server is busy
// hashing passwords (503, up to 20 times), and with a harder challenge when the server asks
// for one (up to 3 times). The step's duration is what the person waits after pressing
// the button, the waits included; solving is not (the page solves while the person types).
func (c *Client) sendChallengeForm(ctx context.Context, p *Person, step *Step, path string, page []byte, fields func(token, work string) string) (*reply, error) {
	token, bits, ok := challengeOf(page)
	if !ok {
		step.Fail("unexpected page")
		return nil, unexpected("%s has no challenge", path)
	}
	work := c.solve(token, bits)
	start := time.Now()
	for tries := 0; ; {
		r, err := c.do(ctx, p, scriptPost, http.MethodPost, path, fields(token, work), "*/*")
		if err != nil {
			step.Fail(kindOf(err))
			return nil, err
		}
		switch {
		case r.status == http.StatusServiceUnavailable && tries < 20:
			wait := retryDelay(r, 3*time.Second) + rand.N(time.Second)
			c.release(r)
			step.Retry()
			tries++
			if err := sleep(ctx, wait); err != nil {
				step.Fail(kindOf(err))
				return nil, err
			}
			continue
		case r.harder && tries < 3:
			if t, b, ok := challengeOf(r.body.Bytes()); ok {
				c.release(r)
				step.Retry()
				tries++
				solveStart := time.Now()
				token, work = t, c.solve(t, b)
				start = start.Add(time.Since(solveStart)) // the tool's solving is not the server's time
				continue
			}
		}
		if r.status != http.StatusSeeOther {
			step.Fail(statusFailure(r).kind)
			c.release(r)
			return nil, statusFailure(r)
		}
		step.Record(time.Since(start))
		return r, nil
	}
}

// arrive follows a script's form post that succeeded: fetch() follows the 303 itself (a
// page the server renders in full), then the script navigates to where it led, which
// loads it again. Both are the home step; the page must show the person signed in.
func (c *Client) arrive(ctx context.Context, p *Person, step *Step, loc string) error {
	if !strings.HasPrefix(loc, "/") {
		step.Fail("unexpected page")
		return unexpected("redirected to %q", loc)
	}
	for range 2 {
		r, err := c.page(ctx, p, step, loc, signedInMarker)
		if err != nil {
			return err
		}
		c.release(r)
	}
	return nil
}

// SignIn signs p in as the sign-in page does: the page, the proof of work, the form sent by
// the page's script, and the home page it leads to.
func (c *Client) SignIn(ctx context.Context, p *Person, st *Stats) error {
	page, err := c.page(ctx, p, st.Step("page"), "/signin", challengeMarker)
	if err != nil {
		return err
	}
	r, err := c.sendChallengeForm(ctx, p, st.Step("post"), "/signin", page.body.Bytes(), func(token, work string) string {
		return "next=%2F&login=" + url.QueryEscape(p.login) + "&password=" + url.QueryEscape(p.password) +
			"&challenge=" + url.QueryEscape(token) + "&work=" + work
	})
	c.release(page)
	if err != nil {
		return err
	}
	loc := r.location
	c.release(r)
	if err := c.arrive(ctx, p, st.Step("home"), loc); err != nil {
		return err
	}
	p.signedIn = true
	return nil
}

// Register registers p through the registration page (which signs p in), as a person
// with script fills and sends it: a resident (no organization), a commune the page lists.
func (c *Client) Register(ctx context.Context, p *Person, st *Stats) error {
	page, err := c.page(ctx, p, st.Step("page"), "/register", challengeMarker)
	if err != nil {
		return err
	}
	c.communesOnce.Do(func() { c.communes = communesOf(page.body.Bytes()) })
	if len(c.communes) == 0 {
		c.release(page)
		st.Step("post").Fail("unexpected page")
		return unexpected("the registration page offers no commune")
	}
	commune := c.communes[p.Index%len(c.communes)]
	r, err := c.sendChallengeForm(ctx, p, st.Step("post"), "/register", page.body.Bytes(), func(token, work string) string {
		// The form's fields in page order, as FormData sends them.
		return "full_name=" + url.QueryEscape(personName) + "&birth_date=" + url.QueryEscape(personBirth) +
			"&gender=" + personGender + "&national_id=" + NationalID(p.Index) + "&phone=" + Phone(p.Index) +
			"&email=&participant_group=" + personGroup + "&organization=&unit=&locality=" + url.QueryEscape(commune) +
			"&password=" + url.QueryEscape(p.password) + "&password2=" + url.QueryEscape(p.password) +
			"&accept=yes&challenge=" + url.QueryEscape(token) + "&work=" + work
	})
	c.release(page)
	if err != nil {
		return err
	}
	loc := r.location
	c.release(r)
	if err := c.arrive(ctx, p, st.Step("home"), loc); err != nil {
		return err
	}
	p.signedIn = true
	return nil
}

// Outcome of a flow's submit, for the SQL check.
type Outcome int

const (
	NotSubmitted Outcome = iota
	// Acknowledged: the app answered the submit with its 303 to the result page.
	Acknowledged
	// Unknown: the submit was sent and no answer says whether it was stored (a timeout, a
	// network error, a 5xx), so the database may or may not hold it.
	Unknown
)

// Submit is one submit the tool sent, for the SQL check.
type Submit struct {
	Person     int    `json:"person"`
	Phone      string `json:"phone"`
	Round      string `json:"round"`
	Attempt    int64  `json:"attempt"`
	Prediction int64  `json:"prediction"`
}

// FlowOptions shape the exam flow.
type FlowOptions struct {
	// Think is the pause between a person's requests (0: none, the closed model's
	// capacity test).
	Think time.Duration
	// Saves is how many autosaves the page's script sends before the submit (default 3).
	Saves int
	// Prediction, when set, is the prediction sent (else a random number up to 5,000).
	Prediction int64
}

// ExamFlow takes one attempt as a person on a phone does, in 7 requests with 3 saves:
// start (the home page's form, 303), the exam page, autosaves as the page's script sends
// them, the submit (the exam form, 303) and the result page. The submit's outcome and
// what was sent are returned for the SQL check.
func (c *Client) ExamFlow(ctx context.Context, p *Person, round string, st *Stats, o FlowOptions) (Submit, Outcome, error) {
	began := time.Now()
	sub := Submit{Person: p.Index, Phone: p.login, Round: round}
	id, counts, err := c.startAndOpen(ctx, p, round, st.Step("start"), st.Step("exam"))
	if err != nil {
		return sub, NotSubmitted, err
	}
	sub.Attempt = id
	base := "/attempts/" + strconv.FormatInt(id, 10)
	rng := rand.New(rand.NewPCG(uint64(id), uint64(p.Index)))
	letters := make([]byte, len(counts))
	for i, n := range counts {
		letters[i] = 'A' + byte(rng.IntN(max(n, 1)))
	}
	sub.Prediction = o.Prediction
	if sub.Prediction == 0 {
		sub.Prediction = 1 + rng.Int64N(5000)
	}
	prediction := strconv.FormatInt(sub.Prediction, 10)
	saves := o.Saves
	if saves == 0 {
		saves = 3
	}
	// The answers are chosen in order and saved in saves batches, the prediction with the
	// last one, as a person answering down the page produces.
	var form strings.Builder
	for s := range saves {
		if err := sleep(ctx, o.Think); err != nil {
			return sub, NotSubmitted, err
		}
		form.Reset()
		for q := s * len(letters) / saves; q < (s+1)*len(letters)/saves; q++ {
			answer(&form, q, letters[q])
		}
		if s == saves-1 {
			field(&form, "prediction", prediction)
		}
		if err := c.save(ctx, p, st.Step("save"), base+"/answers", form.String()); err != nil {
			return sub, NotSubmitted, err
		}
	}
	if err := sleep(ctx, o.Think); err != nil {
		return sub, NotSubmitted, err
	}
	// The exam form posts every field: each question's checked option, then the prediction.
	form.Reset()
	for q, l := range letters {
		answer(&form, q, l)
	}
	field(&form, "prediction", prediction)
	step := st.Step("submit")
	start := time.Now()
	r, err := c.do(ctx, p, formPost, http.MethodPost, base+"/submit", form.String(), "")
	if err != nil {
		step.Fail(kindOf(err))
		return sub, Unknown, err
	}
	loc := r.location
	status := r.status
	c.release(r)
	if status != http.StatusSeeOther || loc != base+"/result" {
		f := statusFailure(&reply{status: status})
		if status == http.StatusSeeOther {
			f = unexpected("submit led to %q", loc)
		}
		step.Fail(f.kind)
		if status >= 500 {
			return sub, Unknown, f
		}
		return sub, NotSubmitted, f
	}
	step.Record(time.Since(start))
	if err := sleep(ctx, o.Think); err != nil {
		return sub, Acknowledged, err
	}
	res, err := c.page(ctx, p, st.Step("result"), loc, resultMarker)
	if err != nil {
		return sub, Acknowledged, err
	}
	c.release(res)
	st.Step("total").Record(time.Since(began))
	return sub, Acknowledged, nil
}

// startAndOpen starts an attempt (or is sent to the one in progress) and loads its exam
// page, returning the attempt and its questions' option counts.
func (c *Client) startAndOpen(ctx context.Context, p *Person, round string, startStep, examStep *Step) (int64, []int, error) {
	start := time.Now()
	r, err := c.do(ctx, p, formPost, http.MethodPost, "/rounds/"+url.PathEscape(round)+"/attempts", "", "")
	if err != nil {
		startStep.Fail(kindOf(err))
		return 0, nil, err
	}
	loc, status := r.location, r.status
	c.release(r)
	id, ok := attemptPath(loc)
	switch {
	case status != http.StatusSeeOther:
		f := statusFailure(&reply{status: status})
		startStep.Fail(f.kind)
		return 0, nil, f
	case !ok:
		startStep.Fail("unexpected page")
		return 0, nil, unexpected("start led to %q", loc)
	}
	startStep.Record(time.Since(start))
	page, err := c.page(ctx, p, examStep, loc, []byte(`action="`+loc+`/submit"`))
	if err != nil {
		return 0, nil, err
	}
	counts := questionsOf(page.body.Bytes())
	c.release(page)
	if len(counts) == 0 {
		examStep.Fail("unexpected page")
		return 0, nil, unexpected("exam page %s has no question", loc)
	}
	return id, counts, nil
}

// save sends an autosave as the page's script does, and retries it as the script does:
// 429, 5xx and network errors after Retry-After or 1 s doubling (at most 6 sends), any other
// answer but 200 is final.
func (c *Client) save(ctx context.Context, p *Person, step *Step, path, form string) error {
	start := time.Now()
	delay := time.Second
	for tries := 1; ; tries++ {
		r, err := c.do(ctx, p, scriptPost, http.MethodPost, path, form, "application/json")
		var wait time.Duration
		switch {
		case err != nil && kindOf(err) != "canceled" && tries < 6:
			wait = delay
		case err != nil:
			step.Fail(kindOf(err))
			return err
		case r.status == http.StatusOK:
			ok := bytes.Contains(r.body.Bytes(), savedMarker)
			c.release(r)
			if !ok {
				step.Fail("unexpected page")
				return unexpected("autosave answered without \"saved\"")
			}
			step.Record(time.Since(start))
			return nil
		case (r.status == http.StatusTooManyRequests || r.status >= 500) && tries < 6:
			wait = retryDelay(r, delay)
			c.release(r)
		default:
			f := statusFailure(r)
			c.release(r)
			step.Fail(f.kind)
			return f
		}
		if wait == delay {
			delay = min(delay*2, 30*time.Second)
		}
		step.Retry()
		if err := sleep(ctx, wait); err != nil {
			step.Fail(kindOf(err))
			return err
		}
	}
}

func answer(b *strings.Builder, q int, letter byte) {
	if b.Len() > 0 {
		b.WriteByte('&')
	}
	b.WriteByte('q')
	b.WriteString(strconv.Itoa(q))
	b.WriteByte('=')
	b.WriteByte(letter)
}

func field(b *strings.Builder, name, value string) {
	if b.Len() > 0 {
		b.WriteByte('&')
	}
	b.WriteString(name)
	b.WriteByte('=')
	b.WriteString(url.QueryEscape(value))
}
