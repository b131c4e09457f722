package zoomapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http/httptrace"
	"sync/atomic"
	"time"
)

// retryable reports whether a read that failed with err may succeed if
// simply tried again: Zoom failed (5xx), the exchange broke (reset,
// timeout of the attempt), or a 2xx body came cut short or not as JSON.
// Answers about the request itself (4xx), JSON of the wrong shape, and
// certificate or name errors will not change.
func retryable(err error) bool {
	var (
		te *TransportError
		de *DecodeError
		er *ErrorResponse
	)
	switch {
	case errors.As(err, &te):
		return !permanentTransport(te.Err)
	case errors.As(err, &de):
		return de.transient && de.Succeeded()
	case errors.As(err, &er):
		return er.StatusCode >= 500
	}
	return false
}

// permanentTransport reports transport failures that a retry cannot cure:
// a certificate Zoom's host does not pass, a name that does not exist.
func permanentTransport(err error) bool {
	var (
		cv   *tls.CertificateVerificationError
		ua   x509.UnknownAuthorityError
		hn   x509.HostnameError
		ci   x509.CertificateInvalidError
		dnse *net.DNSError
	)
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci) ||
		(errors.As(err, &dnse) && dnse.IsNotFound)
}

// backoff is the wait before retry n+1 (n from 0): base doubled n times,
// capped at ceiling, of which a random part up to half is dropped so that
// callers that failed together do not return together.
func backoff(base, ceiling time.Duration, n int) time.Duration {
	d := ceiling
	if n < 30 {
		if b := base << n; b > 0 && b < ceiling {
			d = b
		}
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// fitsDeadline reports whether waiting d still leaves the call inside its
// context's deadline.
func fitsDeadline(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return !ok || time.Until(dl) > d
}

// attempt learns from the transport, through httptrace, whether a request
// was written to a connection: if not, it never reached Zoom.
type attempt struct {
	traced atomic.Bool // the transport reported on the attempt at all
	wrote  atomic.Bool // the request, or its headers, were written
}

func (a *attempt) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GetConn:      func(string) { a.traced.Store(true) },
		WroteHeaders: func() { a.wrote.Store(true) },
		WroteRequest: func(httptrace.WroteRequestInfo) { a.wrote.Store(true) },
	}
}

// notSent reports whether the attempt that failed with err certainly did
// not reach Zoom. The trace says so exactly; a transport that does not
// report through httptrace (GetConn never called) leaves only err to go
// by: a failure to resolve, connect or shake hands.
func (a *attempt) notSent(err error) bool {
	if a.wrote.Load() {
		return false
	}
	if a.traced.Load() {
		return true
	}
	return dialFailure(err)
}

// dialFailure reports errors that come before a connection exists.
func dialFailure(err error) bool {
	var (
		op   *net.OpError
		dnse *net.DNSError
		cv   *tls.CertificateVerificationError
		rh   tls.RecordHeaderError
		ua   x509.UnknownAuthorityError
		hn   x509.HostnameError
	)
	return (errors.As(err, &op) && op.Op == "dial") || errors.As(err, &dnse) ||
		errors.As(err, &cv) || errors.As(err, &rh) || errors.As(err, &ua) || errors.As(err, &hn)
}
