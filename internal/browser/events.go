package browser

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
)

// event records the errors among the tab's protocol events. It runs on the
// goroutine that reads the tab's messages, from the tab's first message on,
// so it must be quick and must not call the browser.
func (l *errorLog) event(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			l.add("console.%s: %s%s", ev.Type, consoleText(ev.Args), stackPlace(ev.StackTrace))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		if d == nil {
			return
		}
		text := d.Text
		if d.Exception != nil {
			text += " " + trimStack(remoteText(d.Exception))
		}
		place := d.URL
		if place == "" && d.StackTrace != nil && len(d.StackTrace.CallFrames) > 0 {
			place = d.StackTrace.CallFrames[0].URL
		}
		l.add("exception: %s (%s:%d:%d)", strings.TrimSpace(text), place, d.LineNumber+1, d.ColumnNumber+1)
	case *log.EventEntryAdded:
		// The network's entries repeat what the network events below
		// report, with less detail.
		if e := ev.Entry; e != nil && e.Level == log.EntryLevelError && e.Source != log.EntrySourceNetwork {
			l.add("log (%s): %s (%s)", e.Source, e.Text, e.URL)
		}
	case *network.EventRequestWillBeSent:
		if ev.Request != nil {
			l.mu.Lock()
			l.requests[string(ev.RequestID)] = ev.Request.URL
			l.mu.Unlock()
		}
	case *network.EventResponseReceived:
		if r := ev.Response; r != nil && r.Status >= 400 && !implicitFavicon(ev.Type, r.URL) {
			l.add("network: %s %s: HTTP %d %s", ev.Type, r.URL, r.Status, r.StatusText)
		}
	case *network.EventLoadingFinished:
		l.mu.Lock()
		delete(l.requests, string(ev.RequestID))
		l.mu.Unlock()
	case *network.EventLoadingFailed:
		l.mu.Lock()
		u := l.requests[string(ev.RequestID)]
		delete(l.requests, string(ev.RequestID))
		l.mu.Unlock()
		// A canceled request is the page's choice (or a navigation), not a
		// failure.
		if ev.Canceled || implicitFavicon(ev.Type, u) {
			return
		}
		msg := ev.ErrorText
		if ev.BlockedReason != "" {
			msg += " (blocked: " + string(ev.BlockedReason) + ")"
		}
		l.add("network: %s %s: %s", ev.Type, u, msg)
	}
}

// implicitFavicon reports whether a request is the browser's own request for
// /favicon.ico, which it makes for a page that names no icon: its failure is
// not the page's error. (It has the type Other; an icon that a page links
// explicitly under another path is still checked.)
func implicitFavicon(typ network.ResourceType, u string) bool {
	pu, err := url.Parse(u)
	return err == nil && typ == network.ResourceTypeOther && pu.Path == "/favicon.ico"
}

// consoleText renders the arguments of a console call, roughly as the
// DevTools console does (without format specifiers).
func consoleText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		parts = append(parts, remoteText(a))
	}
	return strings.Join(parts, " ")
}

// remoteText renders one JavaScript value.
func remoteText(o *runtime.RemoteObject) string {
	if o == nil {
		return ""
	}
	if o.Type == runtime.RemoteObjectTypeString {
		var s string
		if err := json.Unmarshal(o.Value, &s); err == nil {
			return s
		}
	}
	switch {
	case o.Description != "":
		return o.Description
	case o.UnserializableValue != "":
		return string(o.UnserializableValue)
	case len(o.Value) > 0:
		return string(o.Value)
	}
	return string(o.Type)
}

// stackPlace renders the top frame of a stack as " (url:line:column)", or ""
// when there is none.
func stackPlace(st *runtime.StackTrace) string {
	if st == nil || len(st.CallFrames) == 0 {
		return ""
	}
	f := st.CallFrames[0]
	return fmt.Sprintf(" (%s:%d:%d)", f.URL, f.LineNumber+1, f.ColumnNumber+1)
}
