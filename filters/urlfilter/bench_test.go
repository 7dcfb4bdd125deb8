package urlfilter

import (
	"syscall"
	"testing"

	"github.com/curator-dev/curator/filters"
)

// BenchmarkWordLists runs DCLM's three RefinedWeb word-list steps (strict,
// hard, soft) on the real URLs of testdata/urlfilter/real_urls.txt:
//
//	go test -run '^$' -bench . ./filters/urlfilter/
func BenchmarkWordLists(b *testing.B) {
	fs := []*substringFilter{
		build(b, SubstringParams{BanlistFromFname: "refinedweb_banned_words_strict_reverse_engineered.txt",
			IgnoreChars: Strings{"-", "."}, NumBannedSubstrs: 1, MatchSubstrings: true}, filters.Env{}),
		build(b, SubstringParams{BanlistFromFname: "refinedweb_banned_words_hard_reverse_engineered.txt",
			NumBannedSubstrs: 1}, filters.Env{}),
		build(b, SubstringParams{BanlistFromFname: "refinedweb_banned_words_soft_reverse_engineered.txt",
			NumBannedSubstrs: 2}, filters.Env{}),
	}
	benchURLs(b, fs)
}

// BenchmarkDomain runs the exact-domain step (DCLM's www quirk) on the same URLs.
func BenchmarkDomain(b *testing.B) {
	f := build(b, SubstringParams{BanlistFromFname: "domains_test.txt", ExactDomainMatch: true,
		IgnoreChars: Strings{"www"}, NumBannedSubstrs: 1}, filters.Env{Dir: "../../testdata/urlfilter"})
	benchURLs(b, []*substringFilter{f})
}

// BenchmarkURLFilter runs datatrove's url_filter (integrated word lists,
// tldextract's host parts) on the same URLs.
func BenchmarkURLFilter(b *testing.B) {
	benchURLs(b, []filters.Filter{buildDT(b, nil, filters.Env{})})
}

func benchURLs[F filters.Filter](b *testing.B, fs []F) {
	urls := readLinesTB(b, "../../testdata/urlfilter/real_urls.txt")
	bytes := 0
	for _, u := range urls {
		bytes += len(u)
	}
	docs := make([]filters.Doc, len(urls))
	b.ResetTimer()
	cpu0 := cpuSeconds()
	for range b.N {
		for i, u := range urls {
			docs[i].URL = u
			for _, f := range fs {
				if _, err := f.Filter(&docs[i]); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	secs := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N*len(urls))/secs, "urls/s")
	b.ReportMetric(float64(b.N*bytes)/secs/1e6, "MB/s")
	b.ReportMetric(float64(b.N*len(urls))/(cpuSeconds()-cpu0), "urls/cpu-s")
}

// cpuSeconds is the user and system CPU time the process has used (the
// machine may be shared: wall-time rates are then noisy).
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
