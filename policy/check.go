package policy

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// zoomDefaultPageSize is the page size Zoom uses when none is given.
const zoomDefaultPageSize = 30

// Middleware checks every call against the agent's grant and limits
// before it goes on, and keeps the ledger (what the agent created, its
// daily writes) from what comes back. A refusal names the rule and what
// an operator would change.
func (p *Policy) Middleware() pipeline.Middleware {
	return func(next pipeline.Handler) pipeline.Handler {
		return func(ctx context.Context, c *pipeline.Call) pipeline.Outcome {
			a := p.agent(c.Agent.Name)
			if a == nil {
				return pipeline.Deny("agents", fmt.Sprintf("No agent %q is defined in the access policy, so it may call nothing. An operator must add it to the config.", c.Agent.Name))
			}
			lv := p.Level(a.name, c.Tool.Toolset)
			rule, ok := grant(lv, c.Tool)
			if !ok {
				return pipeline.Deny(rule, denyLevel(a.name, c.Tool, lv))
			}
			if c.Invalid != nil {
				return withRule(next(ctx, c), rule)
			}
			if o, denied := p.narrow(ctx, a, c); denied {
				return o
			}
			day, reserved := "", false
			if c.Tool.Endpoint.DailyLimited && !c.DryRun && a.limits.DailyWrites > 0 {
				now := p.now().UTC()
				day = now.Format(time.DateOnly)
				used, ok, err := p.ledger.Reserve(ctx, a.name, day, a.limits.DailyWrites)
				switch {
				case err != nil:
					return unavailable(fmt.Sprintf("The server could not check agent %q's daily write budget (%v), so nothing was sent to Zoom. Retry in a minute; an operator should check the server's log.", a.name, err))
				case !ok:
					reset := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
					return pipeline.Deny("limits.daily_writes", fmt.Sprintf(
						"Agent %q has used its %d meeting and webinar creates and updates for today (%d made). The budget resets at %s (00:00 UTC). An operator can raise limits.daily_writes.",
						a.name, a.limits.DailyWrites, used, reset.Format(time.RFC3339)))
				}
				reserved = true
			}
			o := withRule(next(ctx, c), rule)
			if reserved && !consumed(o) {
				_ = p.ledger.Release(ctx, a.name, day)
			}
			if o.Decision == pipeline.Allowed || o.Decision == pipeline.Confirmed {
				for _, id := range o.Created.Meetings {
					_ = p.ledger.Own(ctx, a.name, "meeting", id)
				}
				for _, id := range o.Created.Webinars {
					_ = p.ledger.Own(ctx, a.name, "webinar", id)
				}
			}
			return o
		}
	}
}

// consumed reports whether a call used up one of Zoom's daily writes: it
// was applied, or may have been (Zoom unavailable mid-call).
func consumed(o pipeline.Outcome) bool {
	switch o.Decision {
	case pipeline.Allowed, pipeline.Confirmed:
		return true
	case pipeline.Failed:
		return o.Kind() == pipeline.KindUnavailable
	}
	return false
}

func withRule(o pipeline.Outcome, rule string) pipeline.Outcome {
	if o.Rule == "" {
		o.Rule = rule
	}
	return o
}

func denyLevel(agent string, t pipeline.Tool, lv Level) string {
	if lv == Read {
		return fmt.Sprintf("Agent %q may only read %s (%s=read), and %s changes Zoom. An operator can grant %s=full in the access policy.",
			agent, t.Toolset, t.Toolset, t.Name, t.Toolset)
	}
	return fmt.Sprintf("Agent %q has no access to %s (%s=off), so it may not call %s. An operator can grant %s=read or %s=full in the access policy.",
		agent, t.Toolset, t.Toolset, t.Name, t.Toolset, t.Toolset)
}

// narrow applies the agent's limits to a call's decoded arguments.
func (p *Policy) narrow(ctx context.Context, a *agentRules, c *pipeline.Call) (pipeline.Outcome, bool) {
	l := a.limits
	if len(l.Users) > 0 {
		for _, u := range c.Targets.Users {
			ok, err := p.userAllowed(ctx, c, l.Users, u)
			if err != nil {
				return pipeline.Deny("limits.users", fmt.Sprintf("Agent %q may act only for %s, and the server could not check whether %q is one of them (%v). Use one of those users, or try again later.",
					a.name, strings.Join(l.Users, ", "), u, err)), true
			}
			if !ok {
				return pipeline.Deny("limits.users", fmt.Sprintf("Agent %q may act only for or on the Zoom users %s; %q is not one of them. Use one of those users, or ask an operator to add this one to limits.users.",
					a.name, strings.Join(l.Users, ", "), u)), true
			}
		}
	}
	if len(l.Users) > 0 {
		if o, denied := p.hosts(ctx, a, c, "meeting", c.Targets.Meetings); denied {
			return o, true
		}
		if o, denied := p.hosts(ctx, a, c, "webinar", c.Targets.Webinars); denied {
			return o, true
		}
	}
	if o, denied := p.objects(ctx, a, "meeting", l.Meetings, c.Targets.Meetings); denied {
		return o, true
	}
	if o, denied := p.objects(ctx, a, "webinar", l.Webinars, c.Targets.Webinars); denied {
		return o, true
	}
	if len(l.RegistrantActions) > 0 && c.Has("registrants") {
		if act, ok := c.String("action"); ok && !contains(l.RegistrantActions, act) {
			return pipeline.Deny("limits.registrant_actions", fmt.Sprintf("Agent %q may only %s registrants, not %s them. An operator can change limits.registrant_actions.",
				a.name, strings.Join(l.RegistrantActions, " or "), act)), true
		}
	}
	if l.MaxPageSize > 0 && c.Has("page_size") {
		n, given := c.Int("page_size")
		switch {
		case given && n > int64(l.MaxPageSize):
			return pipeline.Deny("limits.max_page_size", fmt.Sprintf("Agent %q may ask for at most %d items a page; page_size was %d. Call again with page_size %d or less and follow next_page_token.",
				a.name, l.MaxPageSize, n, l.MaxPageSize)), true
		case !given && l.MaxPageSize < zoomDefaultPageSize:
			c.SetInt("page_size", int64(l.MaxPageSize))
		}
	}
	if l.MaxReportDays > 0 && c.Tool.Toolset == string(zoomapi.GroupReports) && c.Has("from") && c.Has("to") {
		days, err := p.rangeDays(c)
		if err == nil && days > l.MaxReportDays {
			return pipeline.Deny("limits.max_report_days", fmt.Sprintf("Agent %q may ask for reports over at most %d days; this call covers %d (from and to default to the last month). Pass from and to at most %d days apart.",
				a.name, l.MaxReportDays, days, l.MaxReportDays)), true
		}
	}
	return pipeline.Outcome{}, false
}

// hosts applies limits.users to the meetings or webinars a call names:
// their host must be one of the allowed users. A past instance named by
// its UUID cannot be looked up, so it is refused with the way out.
func (p *Policy) hosts(ctx context.Context, a *agentRules, c *pipeline.Call, kind string, targets []string) (pipeline.Outcome, bool) {
	hr, ok := p.resolver.(HostResolver)
	for _, t := range targets {
		id, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			return pipeline.Deny("limits.users", fmt.Sprintf("Agent %q may act only for %s, and the host of a past %s instance named by UUID cannot be checked. Use the numeric %s ID (its latest instance).",
				a.name, strings.Join(a.limits.Users, ", "), kind, kind)), true
		}
		if !ok {
			return pipeline.Deny("limits.users", fmt.Sprintf("Agent %q may act only for %s, and this server cannot check who hosts %s %d.", a.name, strings.Join(a.limits.Users, ", "), kind, id)), true
		}
		host, err := hr.Host(ctx, c, kind, id)
		switch {
		case isNotFound(err):
			continue // no such meeting: the call itself will say so, and there is nothing to protect
		case err != nil:
			return pipeline.Deny("limits.users", fmt.Sprintf("Agent %q may act only for %s, and the server could not check who hosts %s %d (%v). Try again later.",
				a.name, strings.Join(a.limits.Users, ", "), kind, id, err)), true
		}
		allowed, err := p.userAllowed(ctx, c, a.limits.Users, host.ID)
		if err == nil && !allowed && host.Email != "" {
			allowed = contains(a.limits.Users, host.Email)
		}
		if err != nil || !allowed {
			return pipeline.Deny("limits.users", fmt.Sprintf("Agent %q may act only for or on the Zoom users %s; %s %d is hosted by someone else. Use a %s of those users, or ask an operator to add its host to limits.users.",
				a.name, strings.Join(a.limits.Users, ", "), kind, id, kind)), true
		}
	}
	return pipeline.Outcome{}, false
}

// rangeDays is the number of days a call's from..to covers, inclusive,
// with the tools' defaults: to is today (UTC), from a month before to.
func (p *Policy) rangeDays(c *pipeline.Call) (int, error) {
	to := p.now().UTC()
	if s, ok := c.String("to"); ok {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return 0, err
		}
		to = t
	}
	to = time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, time.UTC)
	from := to.AddDate(0, -1, 0)
	if s, ok := c.String("from"); ok {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return 0, err
		}
		from = t
	}
	return int(to.Sub(from).Hours()/24) + 1, nil
}

// objects checks meeting or webinar targets against a list of IDs and
// "own".
func (p *Policy) objects(ctx context.Context, a *agentRules, kind string, allowed, targets []string) (pipeline.Outcome, bool) {
	if len(allowed) == 0 {
		return pipeline.Outcome{}, false
	}
	rule := "limits." + kind + "s"
	own := contains(allowed, "own")
	for _, id := range targets {
		if _, err := strconv.ParseInt(id, 10, 64); err != nil {
			return pipeline.Deny(rule, fmt.Sprintf("Agent %q may act only on certain %ss, which are listed by ID; %q is not a %s ID. Use the numeric %s ID.",
				a.name, kind, id, kind, kind)), true
		}
		if contains(allowed, id) {
			continue
		}
		if own {
			mine, err := p.ledger.Owns(ctx, a.name, kind, id)
			if err != nil {
				return unavailable(fmt.Sprintf("The server could not check which %ss agent %q created (%v), so nothing was sent to Zoom. Retry in a minute; an operator should check the server's log.", kind, a.name, err)), true
			}
			if mine {
				continue
			}
		}
		return pipeline.Deny(rule, fmt.Sprintf("Agent %q may act only on %s; %s %s is not one of them. An operator can add it to %s.",
			a.name, describeObjects(kind, allowed), kind, id, rule)), true
	}
	return pipeline.Outcome{}, false
}

func describeObjects(kind string, allowed []string) string {
	var ids []string
	own := false
	for _, a := range allowed {
		if strings.EqualFold(a, "own") {
			own = true
		} else {
			ids = append(ids, a)
		}
	}
	var parts []string
	if own {
		parts = append(parts, "the "+kind+"s its own calls created")
	}
	if len(ids) > 0 {
		parts = append(parts, kind+"s "+strings.Join(ids, ", "))
	}
	return strings.Join(parts, " and ")
}

// unavailable is a call the server could not check because its shared
// state (Redis) is unreachable: an outage to retry, not a policy refusal.
func unavailable(msg string) pipeline.Outcome {
	return pipeline.Outcome{Decision: pipeline.Failed, Error: &pipeline.ErrorInfo{Kind: pipeline.KindUnavailable, Message: msg}}
}
